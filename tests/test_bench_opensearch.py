"""The relevance bench's OpenSearch peer: the stock ``french`` analyzer, as an
Elasticsearch user gets it, on a real node (the suite's, with analysis-common added)."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
peers = pytest.importorskip("peers")
common = pytest.importorskip("common")

DOCS = [
    ("kiev", "Scrutin en Ukraine", "Les élections présidentielles ont lieu dimanche à Kiev."),
    ("paris", "Municipales", "Le maire de Paris présente son budget."),
    ("gaza", "Trêve", "Un cessez-le-feu est entré en vigueur à Gaza ce matin."),
]


@pytest.fixture
def peer(opensearch, tmp_path):
    engine = peers.OpenSearchPeer(url=opensearch)
    engine.index([common.Doc(i, t, b) for i, t, b in DOCS], tmp_path)
    yield engine
    engine.close()


def test_the_stock_french_analyzer_stems_and_folds(peer):
    # "élection présidentielle" meets "élections présidentielles" only through the
    # french analyzer's light stemming and its folding of the accents.
    assert peer.search("election presidentielle", 10) == ["kiev"]


def test_a_phrase_is_a_phrase_and_words_are_or_ed(peer):
    assert peer.search('"cessez le feu"', 10) == ["gaza"]
    assert peer.search('"feu cessez"', 10) == []
    assert sorted(peer.search("maire Kiev", 10)) == ["kiev", "paris"]


def test_the_index_is_measured_and_dropped_from_a_shared_node(peer, opensearch):
    assert peer.size_bytes() > 0
    peer.close()
    from opensearchpy import OpenSearch

    host, port = opensearch.rsplit("/", 1)[-1].split(":")
    assert not OpenSearch(hosts=[{"host": host, "port": int(port)}]).indices.exists(
        index=peer.index_name)
