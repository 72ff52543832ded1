"""Named constants shared by the core and the command line: exit codes and the format version."""

from __future__ import annotations

from enum import IntEnum

#: jmb's version (read by the build, and printed by ``jmb --version``).
__version__ = "0.2.0"
VERSION = __version__

#: The record format version this jmb reads and writes (the ``jmb:`` key of every record).
FORMAT_VERSION = 1

#: The configuration file that marks the root of a decision repository.
CONFIG_FILE = "jmb.toml"

#: The folder of a decision repository that holds the records.
RECORDS_DIR = "records"

#: The folder under any output folder that ``jmb render --part 2`` writes into, and only it; no
#: template or resource is ever read from a folder of this name.
CONFIDENTIAL_DIR = "confidential"


class RC(IntEnum):
    """Exit codes of the ``jmb`` command, named in one place."""

    SUCCESS = 0
    #: Findings of severity error (or warnings under ``--strict``), or a refused operation.
    FINDINGS = 1
    #: The command line was wrong: an unknown option, a missing argument, no terminal to ask at.
    USAGE = 2
    #: ``jmb.toml`` is malformed or contradictory.
    CONFIG = 3
    #: A bug in jmb: an error it did not expect, reported on one line (70 is sysexits' EX_SOFTWARE).
    INTERNAL = 70
    #: Stopped by Ctrl-C (128 + SIGINT, as shells report it); SIGTERM and SIGHUP give 128 + their
    #: number (143, 129) after the same clean-up.
    INTERRUPTED = 130
    #: The reader of the output went away (``jmb rules | head -1``): 128 + SIGPIPE, as shells report
    #: a program that the pipe stopped.
    BROKEN_PIPE = 141
