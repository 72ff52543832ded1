"""Working days: what "within 3 working days of approval" means for one office.

A working day is a weekday that is not a bank holiday of the office's part of the United Kingdom
(``[publication] region``: ``ENG``, ``WLS``, ``SCT`` or ``NIR``) nor one of the office's own closure
dates (``[publication] closed``). Bank holidays come from the ``holidays`` package, which carries them
for past and coming years, the one-off ones included (the State Funeral of 19 September 2022, the
Coronation of 8 May 2023), with no network.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

#: Monday to Friday, as ``date.weekday()`` numbers them.
_WEEKDAYS = range(5)


class WorkingDays:
    """The working days of one region, less the office's closures."""

    def __init__(self, region: str, closed: Iterable[date] = ()) -> None:
        self.region = region
        self.closed = frozenset(closed)
        self._bank_holidays = holidays.country_holidays("GB", subdiv=region)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a weekday that is neither a bank holiday nor a closure."""
        return (
            day.weekday() in _WEEKDAYS and day not in self.closed and day not in self._bank_holidays
        )

    def add(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0): approved
        on Friday 16 September 2022, 3 working days in England end on Thursday 22 September,
        because Monday 19 was a bank holiday."""
        found = day
        for _ in range(count):
            found += timedelta(days=1)
            while not self.is_working_day(found):
                found += timedelta(days=1)
        return found

    def between(self, start: date, end: date) -> int:
        """How many working days after ``start`` ``end`` is: the working days in (start, end], or
        minus those in (end, start] when ``end`` comes first."""
        if end < start:
            return -self.between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


@functools.lru_cache(maxsize=8)
def working_days(region: str, closed: tuple[date, ...] = ()) -> WorkingDays:
    """The working days of ``region`` less ``closed``, made once a process (the bank holidays of a
    year are worked out once, however many records ask)."""
    return WorkingDays(region, closed)
