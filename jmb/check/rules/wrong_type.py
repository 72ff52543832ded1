"""A field holds the wrong kind of value: a date that is not ``YYYY-MM-DD``, a status that is not one of
the seven, a list where text belongs, a number where text belongs (quote it: ``number: "2019/09"``).
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.WRONG_TYPE
NAME = "wrong-type"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True
