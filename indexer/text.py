"""Facts about characters that index time and the terminal front end share.

Kept apart from :mod:`indexer.pipeline.clean` so that the front end can ask them without loading
the cleaning pipeline (its regexes cost a cold ``depeches search`` 2 ms).
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Any control character but tab and newline (C0, DEL, C1): what no terminal should get.
Cleaning removes them from what it indexes; the renderer shows the rest as escapes."""
