"""The clocks a PDF would otherwise be stamped with, stopped at the record's date while it is made.

A PDF of the same record, configuration, templates and jmb version is the same bytes whichever
process makes it, whenever, in whatever time zone. Its own dates (``/CreationDate``, ``/ModDate``,
the XMP metadata) come from the ``dcterms`` meta tags of the HTML, which hold the record's date. Two
clocks reach a PDF besides, and :func:`record_clock` stops both at midnight (UTC) of the record's date:

- fontTools stamps each font it writes out (``head.modified``) with ``SOURCE_DATE_EPOCH``, else the
  time of day. WeasyPrint has it write the subset of every font embedded where the system's
  HarfBuzz has no subsetter (``libharfbuzz-subset``, older or minimal systems), the static instance
  of a variable font (a template's own font, or the system's: Cantarell, Noto and many brand fonts
  are variable), and a colour font (emoji) with its pictures taken out.
- WeasyPrint stamps each file a template embeds (``<link rel="attachment">``,
  ``<a rel="attachment">``) with ``datetime.now()``, in local time.
"""

from __future__ import annotations

import calendar
import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo

#: fontTools reads this (the reproducible-builds convention) each time it writes a font.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"

#: One PDF at a time in a process: the environment and WeasyPrint's clock are the process's own.
_stopped = threading.RLock()


@contextlib.contextmanager
def record_clock(day: date) -> Iterator[None]:
    """While the block runs, fontTools and WeasyPrint read midnight (UTC) of ``day`` as the time.

    The process's environment and WeasyPrint are as they were after it, whatever happens in it.
    Blocks in different threads run one after the other; a thread that reads the environment
    meanwhile for other ends sees ``SOURCE_DATE_EPOCH`` set (jmb runs none such).
    """
    import weasyprint  # a second or so to import: only for a PDF

    moment = datetime.combine(day, time.min)
    # A font's timestamp counts from 1904 and cannot be earlier; a decision dated before 1970 (a
    # record of history) gets 1970's, the start of the convention's clock.
    seconds = max(0, calendar.timegm(moment.timetuple()))
    with _stopped:
        before = os.environ.get(SOURCE_DATE_EPOCH)
        # WeasyPrint's Attachment reads the time as ``datetime.now()`` of its own module's name. A
        # WeasyPrint that reads it otherwise still makes PDFs (the tests of embedded files fail).
        clock = getattr(weasyprint, "datetime", None)
        reads_it = isinstance(clock, type) and issubclass(clock, datetime)
        os.environ[SOURCE_DATE_EPOCH] = str(seconds)
        if reads_it:
            weasyprint.datetime = _stopped_at(moment)
        try:
            yield
        finally:
            if reads_it:
                weasyprint.datetime = clock
            if before is None:
                os.environ.pop(SOURCE_DATE_EPOCH, None)
            else:
                os.environ[SOURCE_DATE_EPOCH] = before


def _stopped_at(moment: datetime) -> type[datetime]:
    """A ``datetime`` class whose ``now()`` is ``moment`` (naive: WeasyPrint writes it as UTC)."""

    class StoppedClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return moment if tz is None else moment.replace(tzinfo=UTC).astimezone(tz)

    return StoppedClock
