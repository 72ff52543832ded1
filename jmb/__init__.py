"""jmb: decision records of a Joint Management Board, kept as YAML in git.

The public API is small and listed in ``__all__``; everything else is internal. Names are imported on
first use, so ``jmb --version`` and the command line start without loading pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from jmb.checker import validate
    from jmb.config import Config, load_config
    from jmb.errors import ConfigError, JmbError, UsageError
    from jmb.findings import Finding, Severity
    from jmb.model import Record, Status
    from jmb.result import ValidationResult
    from jmb.scaffold import new_record

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
    "validate": "jmb.checker",
    "Config": "jmb.config",
    "load_config": "jmb.config",
    "ConfigError": "jmb.errors",
    "JmbError": "jmb.errors",
    "UsageError": "jmb.errors",
    "Finding": "jmb.findings",
    "Severity": "jmb.findings",
    "Record": "jmb.model",
    "Status": "jmb.model",
    "ValidationResult": "jmb.result",
    "new_record": "jmb.scaffold",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jmb' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
