"""Queries of any length: a pasted paragraph or a whole dispatch is a query, not an error.

A long query keeps its most telling words (``indexer.search.telling.MAX_QUERY_WORDS``), so
its cost is bounded whatever is pasted; only a query past ``parse.MAX_QUERY_CHARS`` is refused.
"""

from __future__ import annotations

import gc
import inspect
import json

import pytest
from conftest import CORPUS

from indexer import NewsIndex, analysis, text
from indexer.pipeline.sources import read_articles
from indexer.search.embedded.compile import Compiler
from indexer.search.parse import (
    MAX_QUERY_CHARS,
    TYPED_MAX_WORDS,
    optional_texts,
    parse_query,
    pasted,
)
from indexer.search.telling import MAX_QUERY_WORDS, telling_words

ARTICLES = {a.id: a for a in read_articles([CORPUS])}


def body_words(article_id: str) -> list[str]:
    return " ".join(ARTICLES[article_id].paragraphs).split()


def article_text(article_id: str) -> str:
    a = ARTICLES[article_id]
    return "\n".join([a.title, a.lede, *a.paragraphs])


@pytest.fixture(scope="module")
def long_article() -> str:
    """The id of a sample article with more than 150 words of body."""
    return next(i for i in sorted(ARTICLES) if i != "afp-alep-offensive-rebelle"
                and len(body_words(i)) > 150 and len(article_text(i)) < MAX_QUERY_CHARS)


def test_a_pasted_seventy_word_paragraph_finds_its_article_first(cli_run, corpus_index,
                                                                   long_article):
    pasted = " ".join(body_words(long_article)[40:110])
    result = cli_run("search", pasted, "--index", str(corpus_index), "--json")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first["article_id"] == long_article


def test_a_whole_article_pasted_as_the_query_finds_that_article_first(corpus_idx, long_article):
    results = corpus_idx.search(article_text(long_article))
    assert results[0].article_id == long_article
    assert results.left_out  # long enough to have been cut down


def test_in_a_pasted_text_a_dash_glued_to_a_word_is_punctuation_not_an_exclusion(corpus_idx):
    """News prose glues dashes to words (a minus sign, an intertitle's closing dash, a
    dialogue dash): none of them excludes in a pasted text. NOT still does there, and
    a typed query's -word still does (passage by passage, as every query matches)."""
    alep = "afp-alep-offensive-rebelle"
    glued = article_text(alep) + ' - Offensive rebelle -Alep a reculé (-18,5%) -"les rebelles"'
    assert {occur for occur, _ in parse_query(glued).clauses} == {"should"}
    assert corpus_idx.search(glued)[0].article_id == alep
    excluded = corpus_idx.search(glued + " NOT Alep")
    assert excluded and not any("Alep" in hit.passage for hit in excluded)
    typed = corpus_idx.search("Alep -offensive")
    assert typed and not any("offensive" in hit.passage.lower() for hit in typed)


def test_explain_lists_the_words_left_out(cli_run, corpus_index, long_article):
    pasted = " ".join(body_words(long_article)[:150])
    text = cli_run("search", pasted, "--index", str(corpus_index), "--explain",
                   "--color", "never")
    assert text.exit_code == 0, text.stderr
    line = next(ln for ln in text.stdout.splitlines() if ln.startswith("left out"))
    as_json = cli_run("search", pasted, "--index", str(corpus_index), "--explain", "--json")
    summary = json.loads(as_json.stdout.splitlines()[-1])
    assert line.endswith(" ".join(summary["left_out"]))
    assert f"({len(summary['left_out'])} words)" in line


def test_a_query_one_character_too_long_is_one_line_and_exit_2(cli_run, corpus_index):
    result = cli_run("search", "grève " * (MAX_QUERY_CHARS // 6) + "x" * 10,
                     "--index", str(corpus_index))
    assert len("grève " * (MAX_QUERY_CHARS // 6) + "x" * 10) > MAX_QUERY_CHARS
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"longer than {MAX_QUERY_CHARS:,} characters" in result.stderr
    assert "quoting" not in result.stderr  # quoting would not make it shorter


def test_a_query_of_the_longest_allowed_length_is_searched(corpus_idx):
    words = " ".join(body_words("afp-alep-offensive-rebelle"))
    query = (words + " ") * (MAX_QUERY_CHARS // (len(words) + 1))
    assert len(query) <= MAX_QUERY_CHARS
    assert corpus_idx.search(query)[0].article_id == "afp-alep-offensive-rebelle"


# -- which words a long query keeps ------------------------------------------------------


def version(idx):
    """The index's current version, as query time reads it (nothing commits meanwhile)."""
    with idx.snapshot() as snap:
        return snap


def kept(idx, query: str, limit: int) -> tuple[list[str], tuple[str, ...]]:
    """The words and phrases searched (as ``--explain`` shows them), and those left out."""
    tree, left_out = telling_words(parse_query(query), version(idx), limit)
    comp = Compiler(idx.searcher(), ["fr"])
    comp.compile(tree)
    return comp.analysed, left_out


def test_a_query_within_the_limit_is_searched_as_typed(corpus_idx):
    tree = parse_query("offensive rebelle à Alep")
    assert telling_words(tree, version(corpus_idx), 3) == (tree, ())


def test_rare_words_are_kept_and_common_ones_left_out(corpus_idx):
    """Stop words count for nothing; of the rest, the rarest in the index stay."""
    words, left_out = kept(corpus_idx, "selon Lavrov il a été dans Alep plus", 2)
    assert words == ["lavrov", "alep"]  # in the query's order
    assert left_out == ("selon", "a", "plus")  # "a" is no stop word here


def test_a_repeated_word_counts_more_and_is_kept_once(corpus_idx):
    # Alep is rarer than "offensive" in the sample (6 passages against 6 for its stem),
    # but said three times, "offensives" weighs more.
    words, left_out = kept(corpus_idx, "offensive Lavrov offensives l'offensive Kerry", 2)
    assert words == ["offens|offensive", "kerry"]
    assert left_out == ("Lavrov",)


def test_quoted_phrases_come_first_and_required_words_stay(corpus_idx):
    words, left_out = kept(corpus_idx, '"offensive rebelle" +Alep selon plus Lavrov', 2)
    assert words == ['"offens|offensive rebel|rebelle"', "alep", "lavrov"]
    assert left_out == ("selon", "plus")


def test_a_quote_in_a_pasted_text_counts_as_its_words_and_as_a_phrase(corpus_idx):
    pasted = 'Le ministre a déclaré "la ville d Alep selon le chef Lavrov" avant son départ'
    assert len(pasted.split()) > TYPED_MAX_WORDS
    words, left_out = kept(corpus_idx, pasted, MAX_QUERY_WORDS)
    assert words[words.index("alep"):] == [
        "alep", "selon", "chef", "lavrov", '"vill|ville alep selon chef lavrov"', "avant", "depart"]
    assert left_out == ()
    typed, _ = kept(corpus_idx, '"la ville d Alep selon le chef Lavrov"', MAX_QUERY_WORDS)
    assert typed == ['"vill|ville alep selon chef lavrov"']  # typed: a phrase, and only that


def test_a_quote_in_a_pasted_text_is_weighed_as_its_rarest_word_not_kept_first(corpus_idx):
    """A pasted interview's quotes would fill every place: each reads all its words."""
    pasted = 'Lavrov a dit à Alep que Lavrov "selon lui plus rien ne sera comme avant" hier'
    assert len(pasted.split()) > TYPED_MAX_WORDS
    words, left_out = kept(corpus_idx, pasted, 2)
    assert words == ["lavrov", "alep"]
    assert "selon lui plus rien ne sera comme avant" in left_out


def test_an_unclosed_quote_counts_its_words_and_its_phrase(corpus_idx):
    """A quote that never closes runs to the end, as a phrase of every word after it:
    alone, that phrase asked for a sentence no passage says. A lede of 12 words (typed,
    by its length) opening a quote its paragraph never closed found nothing."""
    typed, _ = kept(corpus_idx, 'Lavrov "la ville d Alep', MAX_QUERY_WORDS)
    assert typed == ["lavrov", "vill|ville", "alep", '"vill|ville alep"']
    closed, _ = kept(corpus_idx, 'Lavrov "la ville d Alep"', MAX_QUERY_WORDS)
    assert closed == ["lavrov", '"vill|ville alep"']
    twelve = '"' + " ".join(f"mot{i}" for i in range(TYPED_MAX_WORDS))
    tree, _ = telling_words(parse_query(twelve), version(corpus_idx))
    assert len(list(optional_texts(tree))) == TYPED_MAX_WORDS + 1
    assert not pasted(tree)  # its words count once: typed, as its length says


def test_a_short_lede_opening_a_quote_it_never_closes_finds_its_article(corpus_idx):
    said = body_words("afp-alep-offensive-rebelle")[20:30]
    lede = '"' + " ".join(reversed(said))  # a quote reported in other words, never closed
    assert len(lede.split()) <= TYPED_MAX_WORDS
    assert corpus_idx.search(lede)[0].article_id == "afp-alep-offensive-rebelle"
    assert not corpus_idx.search(lede + '"')  # closed, it is the phrase someone chose


def test_a_pasted_text_that_misquotes_its_article_still_finds_it(corpus_idx):
    """The press quotes in its own words: a quote that no passage says word for word
    still counts its words."""
    said = body_words("afp-alep-offensive-rebelle")[20:30]
    pasted = f'Il a déclaré "{" ".join(reversed(said))}" devant la presse réunie hier soir'
    assert corpus_idx.search(pasted)[0].article_id == "afp-alep-offensive-rebelle"


def test_left_out_words_are_shown_without_their_punctuation(corpus_idx):
    _, left_out = kept(corpus_idx, "Lavrov, (selon) Alep. « plus »", 2)
    assert left_out == ("selon", "plus")


def test_a_left_out_word_parts_its_neighbours(corpus_idx):
    """Words that were not neighbours in the query do not become a pair phrase."""
    tree, _ = telling_words(parse_query("Lavrov été Kerry"), version(corpus_idx), 2)
    comp = Compiler(corpus_idx.searcher(), ["fr"])
    comp.compile(tree)
    assert len(comp.clauses) == 2
    assert "Phrase" not in repr(comp.compile(tree))


def test_neighbours_are_sought_as_phrases_in_a_typed_search_not_in_a_pasted_lede(corpus_idx):
    """A typed search's neighbouring words are a phrase someone chose; a lede's are prose."""
    def compiled(text):
        comp = Compiler(corpus_idx.searcher(), ["fr"])
        return repr(comp.compile(parse_query(text)))

    typed = "offensive rebelle Alep"
    assert "Phrase('stem', ['offens', 'rebel']" in compiled(typed)
    lede = ("offensive rebelle Alep Lavrov Kerry Syrie armée quartiers assiégés "
            "bombardements civils trêve négociations")
    assert len(lede.split()) > TYPED_MAX_WORDS
    assert "Phrase" not in compiled(lede)


def test_related_forms_count_for_a_typed_word_not_for_a_pasted_lede(corpus_idx):
    """``gouvernement`` typed has its related forms (``gouverneur``, ``gouvernemental``)
    for coordination; the same word in a pasted lede has none, nor has any other word."""
    def related(text):
        comp = Compiler(corpus_idx.searcher(), ["fr"])
        comp.compile(parse_query(text))
        return comp.related

    assert related("gouvernement Alep")[0] >= {("stem", "gouverneur")}
    lede = ("gouvernement Alep Lavrov Kerry Syrie armée quartiers assiégés offensive "
            "rebelle civils trêve négociations")
    assert len(lede.split()) > TYPED_MAX_WORDS
    assert related(lede) and not any(related(lede))


def test_the_cost_of_a_long_query_is_bounded(corpus_idx):
    text = " ".join(" ".join(a.paragraphs) for a in ARTICLES.values())[:MAX_QUERY_CHARS]
    tree, left_out = telling_words(parse_query(text), version(corpus_idx))
    comp = Compiler(corpus_idx.searcher(), ["fr"])
    comp.compile(tree)
    assert len(comp.clauses) <= MAX_QUERY_WORDS < len(left_out)


def test_what_a_search_remembers_is_not_walked_by_the_garbage_collector(corpus_idx,
                                                                        long_article):
    # A long-lived process (a server, a notebook) remembers every term it looked up:
    # hundreds of thousands after a few hundred pasted texts. Held in plain dicts of
    # strings, numbers and bytes (a word's stem and its exact form each in a dict of
    # their own), they are left out of Python's collections; when each full collection
    # walked them, one took as long as four searches.
    corpus_idx.search(" ".join(body_words(long_article)[:60]))
    gc.collect()
    # New words once the collector has untracked what it could: a dict that took them
    # as tuples would be tracked again, until the next full collection walked it.
    gc.disable()
    try:
        corpus_idx.search(" ".join(body_words(long_article)[60:160]))
    finally:
        gc.enable()
    searcher = corpus_idx.searcher()
    readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
    frequencies = inspect.getclosurevars(searcher.doc_frequency).nonlocals["known"]
    remembered = [
        *(d for reader in readers for d in vars(reader)["_depeches_held"].values()),
        *(d for reader in readers for d in vars(reader._terms)["_depeches_terms"].values()),
        *frequencies.values(),
        *analysis._FORMS.values(),
        *analysis._EXACT.values(),
        searcher._idf_cache,
        text._FOLDED,
    ]
    assert all(remembered)
    assert not [c for c in remembered if gc.is_tracked(c)]


def test_a_long_query_asks_no_did_you_mean(corpus_idx, long_article):
    pasted = " ".join(body_words(long_article)[:60]) + " Lavrof"
    assert corpus_idx.search(pasted).suggestions == ()
    assert corpus_idx.search("Lavrof").suggestions == ("lavrov",)  # a typed one still asks


def test_a_pasted_text_s_unknown_word_still_matches_its_closest_spelling(corpus_idx,
                                                                          long_article):
    """No did-you-mean for a lede, but its unknown word still matches the closest known
    one: a name another source spells its own way (``Melnitechenko``, ``Melnichenko``)."""
    pasted = " ".join(body_words(long_article)[:15]) + " Lavrof"  # all its words kept
    results = corpus_idx.search(pasted)
    assert results.suggestions == ()
    assert "lavrof|lavrov" in results.analysed.split()
    assert ("Lavrof", "fuzzy") in {(m.query_term, m.how) for hit in results.hits
                                   for m in hit.matches}


def test_a_pasted_lede_finds_the_article_that_says_all_of_it_over_its_passages(
        tmp_path, monkeypatch):
    from indexer import Article, NewsIndex
    from indexer.search import rank

    names = ("ornithologue pelican cormoran mouette goeland heron aigrette spatule "
             "flamant avocette bernache sarcelle").split()
    filler = "Le conseil municipal a voté le budget annuel de la commune sans débat. " * 12

    def paragraph(words: list[str]) -> str:
        return f"On observe {', '.join(words)} sur la lagune. {filler}"

    # One article names all twelve birds, four to a passage; the other names six, in one.
    spread = Article.from_fields(id="spread", title="Recensement sur la lagune", body="\n\n".join(
        paragraph(names[i:i + 4]) for i in range(0, 12, 4)), lang="fr")
    dense = Article.from_fields(id="dense", title="Une journée sur la lagune",
                                body=paragraph(names[:6]), lang="fr")
    others = [Article.from_fields(id=f"other{i}", title=f"Conseil {i}", body=filler, lang="fr")
              for i in range(5)]
    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_articles([spread, dense, *others])
        with idx.snapshot() as snap:
            assert len(snap.article_passages(["spread"])["spread"]) == 3
        lede = " ".join(names)
        assert [h.article_id for h in idx.search(lede)][:1] == ["spread"]
        # Without the articles' own scores, the passage with more of the words wins.
        monkeypatch.setattr(rank, "ARTICLE", 0.0)
        assert [h.article_id for h in idx.search(lede)][:1] == ["dense"]


def test_an_articles_passages_found_from_one_of_them_are_those_its_id_finds(tmp_path):
    # Ranking finds a candidate article's passages from one of its passages (its run of
    # documents), not by looking its id up: the two must agree over several segments
    # and after an update has deleted an article's first documents.
    from indexer import Article, NewsIndex

    def article(n: int, paragraphs: int) -> Article:
        body = "\n\n".join(f"Paragraphe {p} de l'article {n} sur la lagune et ses oiseaux. " * 8
                           for p in range(paragraphs))
        return Article.from_fields(id=f"a{n}", title=f"Article {n}", body=body, lang="fr")

    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_articles([article(n, 2 + n % 3) for n in range(4)])
        idx.add_articles([article(n, 2 + n % 3) for n in range(4, 8)])
        with idx.snapshot() as snap:
            before = snap.article_passages(["a1", "a6"])
        idx.add_articles([article(1, 9), article(6, 1)])  # updated: longer, shorter
        with idx.snapshot() as snap:
            ids = [f"a{n}" for n in range(8)]
            by_id = snap.article_passages(ids)
            near = {aid: docs[-1] for aid, docs in by_id.items()}
            assert snap.article_passages(ids, near) == by_id
            assert list(by_id) == ids
            assert len(by_id["a1"]) > len(before["a1"]) > len(by_id["a6"]) == 1
            assert snap.searcher.reader().has_deletions()


def test_a_ledes_article_with_no_passage_among_the_candidates_is_found_by_its_own_score(
        tmp_path, monkeypatch):
    # A short lede's words may each stand in another passage of its article, while
    # dozens of other articles hold two of them in one passage: none of its passages
    # is among the 50 candidates. Scored as a whole over the index, it leads.
    from indexer import Article, NewsIndex
    from indexer.search import rank

    names = ("pelican cormoran mouette goeland heron aigrette spatule flamant avocette "
             "bernache sarcelle tadorne").split()
    filler = "Le conseil municipal a voté le budget annuel de la commune sans débat. " * 10
    spread = Article.from_fields(id="spread", title="Recensement", body="\n\n".join(
        f"On a vu un {name} sur la lagune. {filler}" for name in names), lang="fr")
    pairs = [Article.from_fields(id=f"pair{i:02d}", title=f"Note {i}", body="\n\n".join(
        [f"Un {names[i % 12]} et un {names[(i + 1) % 12]}.", *[filler] * 11]), lang="fr")
        for i in range(72)]
    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_articles([spread, *pairs])
        with idx.snapshot() as snap:
            assert len(snap.article_passages(["spread"])["spread"]) == 12
        lede = " ".join(names)
        assert [h.article_id for h in idx.search(lede)][:1] == ["spread"]
        monkeypatch.setattr(rank, "LEADS", 0)  # the candidates alone never reach it
        assert "spread" not in [h.article_id for h in idx.search(lede)]


def test_every_articles_own_score_over_the_index_is_the_one_ranking_gives_it(tmp_path):
    # Leads are picked by scoring every article at once (embedded.leads), and ranked
    # by rank.article_scores: the two must agree, over several segments and once an
    # update has deleted an article's old documents.
    from indexer import Article, NewsIndex
    from indexer.search.embedded.evaluate import joined_version
    from indexer.search.embedded.leads import own_scores
    from indexer.search.options import SearchOptions
    from indexer.search.rank import article_scores

    words = ("lagune oiseaux héron digue marais sel tempête récolte pêcheurs vent "
             "écluse canal").split()

    def article(n: int, paragraphs: int) -> Article:
        body = "\n\n".join(" ".join(words[(n * p + i) % 12] for i in range(n % 5 + 3)) * 4
                           for p in range(paragraphs))
        return Article.from_fields(id=f"a{n}", title=f"Les {words[n % 12]} de la lagune",
                                   body=body, lang="fr")

    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_articles([article(n, 2 + n % 3) for n in range(6)])
        idx.add_articles([article(n, 2 + n % 3) for n in range(6, 12)])
        idx.add_articles([article(1, 7), article(8, 1)])  # updated: longer, shorter
        with idx.snapshot() as snap:
            tree, _ = telling_words(parse_query(" ".join(words)), snap)
            comp = snap.compile(tree, SearchOptions())
            arts, total = own_scores(snap, joined_version(snap.searcher), comp)
            col = snap.article_ids()
            ids = {col[int(first) + 1]: float(score) for first, score, live
                   in zip(arts.starts, total, arts.live, strict=True) if live}
            assert sorted(ids) == sorted(f"a{n}" for n in range(12))
            near = {aid: docs[0] for aid, docs in snap.article_passages(ids).items()}
            assert ids == pytest.approx(article_scores(snap, comp, near))
            # What ranking reads of them: the candidates' articles, through the seam.
            assert snap.article_scores(comp, near) == pytest.approx(ids)
            assert min(ids.values()) > 0


def test_articles_own_scores_kept_by_clause_are_those_counted_afresh(tmp_path, monkeypatch):
    # What each clause adds to articles' own scores is kept by the version
    # (leads.OwnClauses): a search that finds them kept, or that finds the cache too
    # small to keep them, counts the same scores, to the last bit, as one counting afresh.
    from indexer import Article
    from indexer.search.embedded import leads
    from indexer.search.embedded.evaluate import joined_version
    from indexer.search.options import SearchOptions

    words = "lagune héron digue marais tempête récolte pêcheurs écluse".split()
    with NewsIndex.create(tmp_path / "index") as idx:
        for batch in range(2):
            idx.add_articles([Article.from_fields(
                id=f"a{batch}{n}", title=f"Les {words[n % 8]} du marais", lang="fr",
                body="\n\n".join(" ".join(words[(n + p + i) % 8] for i in range(n % 4 + 2))
                                 for p in range(3))) for n in range(8)])
        with idx.snapshot() as snap:
            tree, _ = telling_words(parse_query(" ".join(words[:6] + ["héron"])), snap)

            def scored() -> list[float]:
                comp = snap.compile(tree, SearchOptions())
                return leads.own_scores(snap, joined_version(snap.searcher), comp)[1].tolist()

            first = scored()
            kept = snap.searcher.__dict__["_depeches_own_clauses"]
            assert len(kept.articles) == 6  # héron twice, kept once
            assert scored() == first  # every clause kept
            assert max(first) > 0
            del snap.searcher.__dict__["_depeches_own_clauses"]
            monkeypatch.setattr(leads, "OWN_KEPT", 8)
            assert scored() == first  # clauses let go as the next come
            kept = snap.searcher.__dict__["_depeches_own_clauses"]
            assert 1 <= len(kept.articles) < 6
            assert kept.size == sum(len(at) for at in kept.articles.values())


def test_a_long_pasted_texts_candidates_are_its_best_articles_passages(tmp_path, monkeypatch):
    # From rank.ARTICLE_FULL clauses on, a pasted text is ranked by its articles' own
    # scores: its candidates are the passages of the LED x limit best articles as wholes,
    # each bringing a few of its best (re-scoring may prefer another), not the best
    # passages over the whole index. A filter that leaves fewer articles among them
    # falls back on the search over every passage, as before.
    from indexer import Article
    from indexer.search import rank
    from indexer.search.embedded.leads import best_articles
    from indexer.search.options import SearchOptions

    names = ("pelican cormoran mouette goeland heron aigrette spatule flamant avocette "
             "bernache sarcelle tadorne courlis barge chevalier gravelot pluvier").split()
    filler = "Le conseil municipal a voté le budget annuel de la commune sans débat. " * 6

    def article(n: int, date: str) -> Article:
        held = [names[(n + i) % len(names)] for i in range(n % 9 + 3)]
        body = "\n\n".join([f"On a vu un {' et un '.join(held[j::3])} sur la lagune. {filler}"
                             for j in range(3)] + [filler] * (n % 4))
        return Article.from_fields(id=f"a{n:02d}", title=f"Note {n}", body=body,
                                   date=date, lang="fr")

    lede = " ".join(names)
    with NewsIndex.create(tmp_path / "index") as idx:
        # Those holding fewer of the names are of 2020, the others of 2019.
        idx.add_articles([article(n, "2020-01-01" if n % 9 < 5 else "2019-01-01")
                          for n in range(60)])
        with idx.snapshot() as snap:
            tree, _ = telling_words(parse_query(lede), snap)
            comp = snap.compile(tree, SearchOptions(limit=4))
            assert len(comp.clauses) >= rank.ARTICLE_FULL and rank.led_by_articles(comp)
            col = snap.article_ids()
            best = [col[run[1]] for run in best_articles(snap, comp, rank.LED * 4)]
            assert len(best) == 8
            # Candidates asked over 8 articles: as many passages from each as it holds
            # matching ones, up to the share of each.
            for k, most in ((8, 1), (50, 7)):
                res, _ = snap.candidates(comp, k, 4)
                found = [col[d] for _, d in res]
                assert set(found) == set(best), k
                assert max(found.count(aid) for aid in best) == min(most, 2), k
        hits = [h.article_id for h in idx.search(lede, limit=4)]
        assert len(hits) == 4 and set(hits) <= set(best)
        # None of the 8 best is of 2020, so every passage is searched, as with LED off.
        since = [(h.article_id, h.score) for h in idx.search(lede, limit=4, since="2020-01-01")]
        assert len(since) == 4 and all(int(aid[1:]) % 9 < 5 for aid, _ in since)
        assert not any(int(aid[1:]) % 9 < 5 for aid in best)
        monkeypatch.setattr(rank, "LED", 0)
        assert [(h.article_id, h.score) for h in
                idx.search(lede, limit=4, since="2020-01-01")] == since


def test_a_title_word_counts_with_the_bodys_under_one_saturation(tmp_path):
    # An article's own score holds title and body as one document (rank.ARTICLE_TITLE):
    # its title saying a word adds less where its body says it often. Scored apart, the
    # title earned the same whatever the body said, and a story's later articles, whose
    # titles repeat its names, outranked the one a lede was written for.
    from indexer import Article, NewsIndex
    from indexer.search.options import SearchOptions
    from indexer.search.rank import article_scores

    filler = "Le conseil municipal a voté le budget annuel de la commune sans débat."

    def article(aid: str, bird: str, times: int) -> Article:
        body = " ".join(["Un héron sur la digue."] * times + [filler] * (8 - times))
        return Article.from_fields(id=aid, title=f"Un {bird} sur la lagune", body=body,
                                   lang="fr")

    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_articles([article("once", "canard", 1), article("once+title", "héron", 1),
                          article("often", "canard", 6), article("often+title", "héron", 6),
                          *(article(f"other{i}", "canard", 0) for i in range(4))])
        with idx.snapshot() as snap:
            tree, _ = telling_words(parse_query("héron"), snap)
            comp = snap.compile(tree, SearchOptions())
            near = {aid: docs[0] for aid, docs in snap.article_passages(
                ["once", "once+title", "often", "often+title"]).items()}
            score = article_scores(snap, comp, near)
            assert score["often"] > score["once"] > 0
            # Apart, the title's part was the same for both (0.64 here); together, the
            # title adds less than half as much where the body says the word six times.
            gained = score["often+title"] - score["often"]
            assert 0 < gained < 0.5 * (score["once+title"] - score["once"])


def test_warm_reads_ahead_what_a_first_pasted_text_reads_once_and_ranks_the_same(
        corpus_index, long_article):
    pasted = " ".join(body_words(long_article)[40:110])
    with NewsIndex.open(corpus_index) as cold:
        expected = [(hit.article_id, hit.score) for hit in cold.search(pasted)]
    with NewsIndex.open(corpus_index) as idx:
        idx.warm()
        version = idx._current()
        assert "_depeches_articles" in version.searcher.__dict__
        assert version._ids is not None and version._records is not None
        assert [(hit.article_id, hit.score) for hit in idx.search(pasted)] == expected
        assert idx._current() is version  # the search read the version warmed


def test_an_empty_index_warms_without_error(tmp_path):
    with NewsIndex.create(tmp_path / "index") as idx:
        idx.warm()
        assert len(idx.search("Alep")) == 0
