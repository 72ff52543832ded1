"""The record uses a YAML anchor (``&name``), alias (``*name``) or merge key (``<<``).

An alias makes text written in one place appear in another, and a merge key copies a mapping's
fields into another mapping, where a later or duplicate key can quietly hide them: a sentence of the
confidential Part 2 could be published in Part 1 while each place looks innocent, and one short file
could expand to gigabytes. A decision is written out in full, so records use none of them. jmb still
reads the rest of the record (an alias is read as empty, a merge key's fields are not merged), so the
other findings are reported too.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.ANCHOR
NAME = "yaml-anchor"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "load"
SUPPRESSIBLE = False
