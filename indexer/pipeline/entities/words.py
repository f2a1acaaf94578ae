"""The French words the rules read: articles, particles, honorifics and the cue words
around names."""

from __future__ import annotations

import re

# Articles that may open a name ("Le Caire"), and with "à" and "de" fused in ("au Caire").
_ARTICLES = frozenset("le la les l'".split())
_ARTICLES_AND_CONTRACTIONS = _ARTICLES | frozenset("du au des aux".split())
# A name that is also a common word takes "au" ("au Havre"), not "du" ("champion du Monde").
_ARTICLES_AND_AU = _ARTICLES | frozenset("au aux".split())
# Words that open or join names; folded (see indexer.text.word_key) for lookup.
_PARTICLES = frozenset(
    "de du des d' la le les l' van von der den ter ten di da del della dos das do y "
    "al el bin ben ibn abu abou ould of the and e zu".split()
)
# Articles and prepositions never start a name, even capitalised.
_FUNCTION_WORDS = frozenset(
    "le la les l' un une des du de d' ce cet cette ces au aux a à en et ou selon pour "
    "par sur sous dans avec sans apres avant depuis lors chez vers mais donc or ni car "
    "il elle ils elles on nous vous je tu qui que quoi dont ou son sa ses leur leurs "
    "mon ma mes ton ta tes notre nos votre vos tout toute tous toutes si ne pas plus puis "
    "ainsi alors aussi encore comme quand lorsque ici la-bas deja toujours jamais "
    "contre entre durant pendant parmi malgre".split()
)
_HONORIFICS = frozenset(
    "m. mm. mme mmes mlle mlles me dr dr. pr pr. mgr mgr. sir lord lady dame monsieur "
    "madame mademoiselle mr mr. mrs mrs.".split()
)
# Lowercase words just before a name that say it is a person.
_PERSON_CUES = frozenset(
    """president presidente ministre premier chancelier chanceliere roi reine prince
    princesse pape cardinal eveque archeveque imam rabbin pretre pere general colonel
    commandant capitaine lieutenant sergent marechal amiral senateur senatrice depute
    deputee maire conseiller conseillere gouverneur juge procureur avocat avocate acteur
    actrice chanteur chanteuse ecrivain ecrivaine auteur auteure romancier poete
    journaliste photographe realisateur realisatrice cineaste artiste peintre musicien
    musicienne compositeur entraineur entraineuse selectionneur joueur joueuse pilote
    coureur coureuse cycliste boxeur nageur nageuse skieur skieuse athlete champion
    championne attaquant defenseur gardien milieu candidat candidate dirigeant
    dirigeante leader chef emissaire envoye ambassadeur ambassadrice directeur
    directrice fondateur fondatrice patron patronne pdg porte-parole secretaire
    professeur professeure docteur chercheur chercheuse scientifique economiste
    historien historienne philosophe sociologue opposant opposante militant militante
    activiste dissident dissidente rappeur rappeuse comedien comedienne humoriste
    animateur animatrice presentateur presentatrice footballeur tennisman tenniswoman
    vice-president vice-presidente homologue successeur predecesseur epouse epoux
    mari femme fils fille frere soeur veuve musher mannequin styliste mere oncle tante
    cousin cousine neveu niece compagnon compagne prenomme prenommee surnomme surnommee
    denomme denommee nomme nommee""".split()
)
# Lowercase words just before a name that say it is an organisation.
_ORG_CUES = frozenset(
    """quotidien journal hebdomadaire mensuel magazine revue agence compagnie societe
    groupe entreprise firme constructeur avionneur operateur laboratoire chaine radio
    banque club equipe parti mouvement syndicat association fondation ong organisation
    marque enseigne label editeur fabricant geant distributeur assureur media cabinet
    collectif formation site reseau plateforme application start-up studio coentreprise
    filiale transporteur""".split()
)
# What kind of company or paper, between a cue and a name: "la compagnie aérienne X".
_CUE_ADJECTIVES = frozenset(
    """aerien aerienne petrolier petroliere automobile ferroviaire pharmaceutique
    informatique bancaire financier financiere satirique regional regionale local locale
    public publique prive privee gratuit gratuite sportif sportive economique""".split()
)
# What kind of agency or company: "l'agence de presse X", "la compagnie de train X".
_CUE_COMPLEMENTS = frozenset(
    "presse information informations notation sondage sondages train transport "
    "transports".split()
)
# Lowercase words just before a name that say it is a work, not an actor: "le film Star
# Wars", "son album Purple Rain", "le spectacle Wishful Drinking". Folded; after a
# nationality too ("le film américain X"). Not "exposition": "l'exposition Louis de
# Funès" is named after its subject.
_WORK_CUES = frozenset(
    """film films telefilm documentaire serie series feuilleton sitcom saga album albums
    chanson chansons tube single morceau clip spectacle spectacles roman romans livre
    ouvrage recueil poeme manga comedie opera piece emission jeu""".split()
)
# Lowercase words just before a name that say it is a place.
_PLACE_CUES = frozenset(
    """glacier volcan fleuve riviere ville village commune station localite region
    province quartier archipel desert massif capitale cite bourgade hameau""".split()
)
# Prepositions just before a name that say it is a place.
_PLACE_PREPOSITIONS = frozenset("à a en au aux dans vers depuis".split())
# Words inside a name that make it an organisation (folded).
_ORG_HEADS = frozenset(
    """parti ministere assemblee conseil union front agence observatoire groupe
    federation universite banque cour tribunal commission organisation comite senat
    association fondation institut office compagnie societe club academie ecole lycee
    college hopital clinique eglise mosquee musee orchestre mouvement syndicat
    alliance coalition brigade brigades armee forces police gendarmerie gouvernement ministry
    direction service services bureau chambre parlement congres corporation inc ltd
    airlines airways group company bank university institute council party agency
    news press times post journal radio television tv fc ac olympique racing sporting
    stade real united laboratoire laboratoires centre fonds programme reseau conference
    confederation caisse regie autorite administration departement secretariat
    consortium holding industries entreprise editions presse quotidien hebdomadaire
    magazine chaine diocese fraternite congregation communaute organization
    foundation association commission committee national nationale international
    internationale foundations groups partners holdings brothers studios records networks
    systems technologies labs pictures entertainment media communications
    haut-commissariat mission delegation""".split()
)
# Heads of organisations named after their mandate or their field: "Haut-Commissariat
# aux réfugiés", "Mission des Nations unies au Soudan du Sud" (folded).
_MANDATE_HEADS = frozenset("haut-commissariat commissariat mission operation delegation".split())
_ADJECTIVE_RE = re.compile(
    r"^[a-z]{3,}(?:al|ale|aux|ales|ique|iques|ien|ienne|iens|iennes|ais|aise|aises|ois|"
    r"oise|oises|el|elle|els|elles|if|ive|ifs|ives|aire|aires|eur|eure|eurs|eures|iste|"
    r"istes|ain|aine|ains|aines|ard|arde|ol|ole|an|ane|ier|iere|iers|ieres|een|eenne|"
    r"ee|ees|ie|ies|ne|nes|re|res)$"
)
# Before an unknown single name, these make a place more likely than not.
_WEAK_PLACE_PREPOSITIONS = frozenset("de d' entre".split())
# "le général de Gaulle", "le maréchal de Lattre": after a military rank, "de" is a
# surname's particle. The rank is a noun, so it follows a determiner or opens the text:
# "le directeur général de Sanofi" and "le Directeur Général de Classic Motor Cars" head
# firms. "de" is a particle after a preposition too, since no place's "de" follows one:
# "ministre de de Gaulle", "sous de Gaulle", "hommage à de Gaulle" ("a" is the verb too,
# but "il a de" rarely comes before a capital). Not "capitaine" ("le capitaine de Nantes"
# leads a team), "commandant" ("de Barkhane") nor "lieutenant" ("un lieutenant de Poutine").
_RANKS = frozenset("general marechal amiral colonel".split())
_RANK_DETERMINERS = frozenset("le du au un ce ancien feu".split())
_PARTICLE_PREPOSITIONS = frozenset("de a sous par avec pour contre chez".split())
_TIME_WORDS = frozenset(
    """lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai
    juin juillet aout septembre octobre novembre decembre annee annees mois semaine
    jour jours matin soir""".split()
)
# Nouns before "de X" that make X a person: works, deeds and relations of someone.
_OWNED_NOUNS = frozenset(
    """film films livre livres roman romans album albums chanson chansons oeuvre oeuvres
    musique tableau gouvernement administration ere epoque mort deces obseques funerailles
    fils fille femme mari epouse famille entourage avocat avocats proches partisans
    soutiens candidature campagne election victoire defaite discours visite declaration
    declarations propos annonce demission affaire proces condamnation arrestation
    biographie memoires carriere mandat programme equipe cabinet successeur predecesseur
    rival adversaire ami amis presidence quinquennat regime politique reforme pere mere
    frere soeur parents veuve veuf proche heritier heritiere createur creatrice biographe
    manager toile toiles tableaux peinture peintures sculpture sculptures boson
    theoreme""".split()
)
# Nouns before "de X" that make X a company: "le rachat de Pixar".
_DEAL_NOUNS = frozenset(
    "rachat rachats acquisition filiale filiales actionnaire actionnaires".split()
)
# Nouns before "de X" that make X a company: its heads and staff ("le PDG de Polestar",
# "le patron de Renault"), where a town after "le maire de" is a place.
_COMPANY_HEADS = frozenset(
    """pdg ceo patron patronne dirigeant dirigeante directeur directrice fondateur
    fondatrice cofondateur cofondatrice salaries employes""".split()
)
# What may stand between such a head and "de": "le directeur général de Renault".
_HEAD_TITLES = frozenset(
    "general generale executif executive financier financiere delegue deleguee".split()
)
# Before an unknown single name, these make an actor more likely than not.
_ACTOR_CUES = frozenset("selon par".split())
_MINISTRY = frozenset("ministre ministres ministere ministeres secretaire secretariat".split())
# Capitalised common words that name an organisation on their own ("l'Assemblée").
_SINGLE_ORGS = frozenset("assemblee senat parlement congres".split())
# Heads of long names that an article then calls by the head alone: "le Forum mondial
# de la langue française" ... "le Forum court jusqu'à vendredi" (folded).
_SHORT_HEADS = frozenset(
    """forum sommet conseil congres assemblee parlement comite commission senat conference
    cour chambre union agence parti front federation gouvernement ministere organisation
    observatoire tribunal mouvement alliance coalition fondation institut office banque
    universite academie association syndicat confederation autorite""".split()
)
# Nouns before "de X" that make X a place (folded).
_PLACE_NOUNS = frozenset(
    """ville villes province region quartier quartiers village villages commune communes
    banlieue environs departement district gouvernorat capitale localite ile etat comte
    municipalite prefecture canton vallee port aeroport frontiere nord sud est ouest
    centre pres peripherie large habitants maire prefet wilaya oblast cite faubourg
    arrondissement agglomeration metropole territoire pays""".split()
)
# Words inside a name that make it a place (folded).
_PLACE_HEADS = frozenset(
    """lac mont monts ile iles cap golfe mer ocean baie vallee plaine plateau desert
    riviere fleuve detroit canal col massif foret place rue avenue boulevard quai pont
    port fort saint sainte san santa sao new nouvelle nouveau nord sud est ouest north
    south east west province region comte district arrondissement quartier village ville
    city island islands beach county lake valley mountains bay springs heights river
    grad land lodge gorge basin street mall road park square canyon creek falls peak val
    wilaya pampa cidade gare palais""".split()
)
# Last words of names of works, events and products, which are not entities here.
_MISC_TAILS = frozenset(
    """day days awards award series story camera telescope survey explorer orbiter
    festival cup games trophy championship show album tour world""".split()
)
# English words that mark a title of a work ("Game of Thrones", "Let's Dance").
_ENGLISH_WORDS = frozenset("of the and to in on my your you with for is has no a an".split())
# Lowercase heads that open a place name: "place de la République", "lac Louise".
_LOWER_PLACE_HEADS = frozenset(
    "place rue avenue boulevard quai pont lac mont ile iles mer ocean golfe detroit canal "
    "baie".split()
)
# Lowercase heads that open an organisation's name: "ministère de la Culture".
_LOWER_ORG_HEADS = frozenset("ministere universite hopital association".split())
# Both lists as written in text, for the regex that finds where names start.
_LOWER_OPENERS = frozenset(
    "place rue avenue boulevard quai pont lac mont île îles ile iles mer océan golfe détroit "
    "canal baie ministère université hôpital association".split()
)
# All-caps words that are not organisations.
_NOT_ACRONYMS = frozenset(
    """II III IV VI VII VIII IX XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI OK TV PIB
    TVA SMS GPS ADN VIH SIDA HIV CV PDG DJ BD CD DVD PC USB LED UV HD QG SUV VTT UTC
    GMT CET CDD CDI AVC NDLR TPE PME SOS ONG OGM IVG RSA SMIC HLM RER TGV PMA GPA QI
    PV KO MVP JO ISF TNT LGBT LGBTI LGBTQ ADSL WIFI PDF CO2 NB PS. AM FM
    PCR CEO VIP TTC HT ITT RTT SDF BTP DRH IA FFP2 EHPAD Ehpad
    WLTP NEDC TFSI TSI TDI DSG""".split()
)
# The last two lines are things, not actors: the first 5,000 OrangeSum articles listed
# PCR, CEO, VIP, TTC, ITT, Ehpad, WLTP, TFSI, TSI, TDI and DSG as actors or places 10 to 44
# times each ("test PCR", "prix TTC", "10 jours d'ITT", "en Ehpad"; a car's test cycle,
# engine and gearbox: "cycle WLTP", "moteur TFSI"), and the others are of their kinds. A
# Wikinews article of 2016 spelled out "Parti communiste réunionnais (PCR)" once: a rare
# party counts less than every Covid test.
# Words that open names of events and works, which are not entities here.
_EVENT_HEADS = frozenset(
    """jeux prix coupe championnat championnats tournoi festival concours operation loi
    tour voie trophee marathon rallye sommet salon exposition biennale journee
    journees semaine saison mondial mondiaux gala ceremonie edition grand-prix ironman
    triathlon forum""".split()
)
# Place and event nouns that nam_dict also lists as given names ("Île", "Ville", "Loi").
_NOT_GIVEN_NAMES = _LOWER_PLACE_HEADS | _PLACE_NOUNS | _EVENT_HEADS
# How far past a run of name words to tokenise: far after a word that may
# continue in lowercase ("Union" européenne), a little otherwise ("X (Bolivie)").
_LONG_REACH, _SHORT_REACH = 40, 6
_UPPER = "A-ZÀ-ÖØ-ÞŒŠŽŸĆČĐŁŃŚŹŻ"
_ORDINAL_RE = re.compile(r"^[IVXLC]+(?:e|er|re|ème)s?$")
_SENTENCE_ENDS = frozenset('.!?…:;«»"“”—–-()[]')
