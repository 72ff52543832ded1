"""A field holds the wrong kind of value: a date that is not ``YYYY-MM-DD``, a status that is not one of
the seven, a list where text belongs, a number where text belongs (quote it: ``number: "2019/09"``).
"""

from jmb.findings import Severity

ID = "JMB007"
NAME = "wrong-type"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
