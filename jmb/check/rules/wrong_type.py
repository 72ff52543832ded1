"""A field holds the wrong kind of value: a date that is not ``YYYY-MM-DD``, a status that is not one of
the seven, a list where text belongs, a number where text belongs (quote it: ``number: "2019/09"``).

Nothing is converted: text is a YAML string, and a date is a YAML date or a quoted ``"YYYY-MM-DD"``
(not a date and time, not a number of seconds). A tag that makes a value something other than what
is written (``!!binary``, ``!!timestamp``, ``!!bool``, ``!!set``, ``!foo``) is reported here, and so
is a value YAML cannot make into what it looks like (``2019-02-30``); the value is then read as the
text written, and the rest of the file is still checked.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.WRONG_TYPE
NAME = "wrong-type"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True
