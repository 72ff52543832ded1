"""jmb: decision records of a Joint Management Board, kept as YAML in git.

The public API is small and listed in ``__all__``; everything else is internal. Names are imported on
first use, so ``jmb --version`` and the command line start without loading pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jmb.core.constants import __version__

if TYPE_CHECKING:
    from jmb.check.engine import validate
    from jmb.check.result import ValidationResult
    from jmb.core.errors import ConfigError, JmbError, UsageError
    from jmb.core.findings import Finding, Severity
    from jmb.record.model import Record, Status
    from jmb.repo.config import Config, load_config
    from jmb.repo.scaffold import new_record

__all__ = [
    "Config",
    "ConfigError",
    "Finding",
    "JmbError",
    "Record",
    "Severity",
    "Status",
    "UsageError",
    "ValidationResult",
    "__version__",
    "load_config",
    "new_record",
    "validate",
]

_HOMES = {
    "validate": "jmb.check.engine",
    "Config": "jmb.repo.config",
    "load_config": "jmb.repo.config",
    "ConfigError": "jmb.core.errors",
    "JmbError": "jmb.core.errors",
    "UsageError": "jmb.core.errors",
    "Finding": "jmb.core.findings",
    "Severity": "jmb.core.findings",
    "Record": "jmb.record.model",
    "Status": "jmb.record.model",
    "ValidationResult": "jmb.check.result",
    "new_record": "jmb.repo.scaffold",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jmb' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
