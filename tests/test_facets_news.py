"""The facets a journalist sees on real news: every top actor and place is one.

Built from the first 5,000 OrangeSum articles (read in place in ``../shared``, never
copied), as ``depeches facets --field places`` counts them. The names below were read
by a person and judged real actors or places; a name that climbs into the top 30
without being on the list fails the test, to be read and judged in its turn.
"""

from __future__ import annotations

import pytest

from indexer import NewsIndex

TOP = 30

READ_PLACES = frozenset("""
France|Paris|États-Unis|Europe|Chine|Italie|Allemagne|Royaume-Uni|New York|Marseille|Londres|
Espagne|Brésil|Lyon|Pékin|Washington|Russie|Île-de-France|Californie|Los Angeles|Élysée|Genève|
Bordeaux|Inde|Minneapolis|Afrique|Belgique|Canada|Strasbourg|Angleterre|Amérique latine|
Grande-Bretagne|Asie|Floride|Dijon|Grenoble|Australie|Japon|Toulouse|Nice|Wuhan|Hong Kong|
Corse|Suisse|Iran|Texas|Lille|Nantes|Bruxelles|Mexique|Portugal|Israël|Turquie|Montpellier|
Afrique du Sud|Moscou|Rome|Madrid|Berlin
""".replace("\n", "").split("|"))
"""Places (the Élysée is a palace: it names the presidency too, but it is a place)."""

READ_ACTORS = frozenset("""
AFP|Emmanuel Macron|LR|Donald Trump|George Floyd|LREM|Le Parisien|Edouard Philippe|OMS|
Assemblée nationale|Intérieur|PS|Santé|BFMTV|Sénat|Union européenne|Christophe Castaner|
Organisation mondiale de la santé|ministère de la Santé|Maison Blanche|BMW|RTL|Anne Hidalgo|EELV|
ONU|Rassemblement national|France 2|RN|TF1|Agnès Buzyn|LFI|Ford|Marine Le Pen|Parlement|
Olivier Véran|UE|France 3|Matignon|Jean-Luc Mélenchon|Rachida Dati|Joe Biden|Renault|
Le Figaro|France Info|Franceinfo|Europe 1|Twitter|Facebook|Conseil d'État|Insee|Airbus|
Gérald Darmanin|Nicolas Sarkozy|François Hollande|Jean Castex|Sibeth Ndiaye|Bruno Le Maire|
Boris Johnson|Xi Jinping|CGT|SNCF|Jérôme Salomon|Didier Raoult|Mercedes|Audi|
Porsche|Peugeot|Toyota|Volkswagen|Tesla|Ferrari|Bentley|Lamborghini|Apple|Google|Amazon|
Le Monde|Libération|LCI|CNews|
France Inter|M6|Conseil constitutionnel|Haute Autorité de santé|Institut Pasteur|Inserm|
Ouest-France|Agence régionale de santé|ARS|Sénat américain|Congrès|
Parlement européen|Commission européenne|Banque centrale européenne|BCE|FMI|Otan|Kremlin
""".replace("\n", "").split("|"))
"""Actors. ``Intérieur`` and ``Santé`` are the ministries as the press names them (and as
the Wikinews gold lists them); written as ``ministère de l'Intérieur`` they scored worse."""

NEVER = frozenset("Covid-19 Covid Coronavirus Brexit".split())


@pytest.mark.parametrize("field, read", [("places", READ_PLACES), ("actors", READ_ACTORS)])
def test_every_top_facet_value_was_read_and_judged_real(orangesum_index: NewsIndex, field: str,
                                                        read: frozenset[str]) -> None:
    top = [f.value for f in orangesum_index.facets(field=field, top=TOP)]
    assert len(top) == TOP
    assert [name for name in top if name not in read] == []
    assert not NEVER & set(top)
