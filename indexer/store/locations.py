"""Which backend a location names: a directory, or an index on an OpenSearch cluster.

Apart from :mod:`.opensearch` so that opening an embedded index, every cold
``depeches`` command, does not import the cluster's store to ask.
"""

from __future__ import annotations

SCHEME = "opensearch+"


def is_location(location: object) -> bool:
    """Whether ``location`` names an OpenSearch index rather than a directory."""
    return isinstance(location, str) and location.startswith(SCHEME)
