"""The JSON Schema of record format 1, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from jmb.record.model import Record

SCHEMA_FILE = "decision.schema.json"


def decision_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a decision record."""
    schema = Record.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """The schema as the text committed in ``schemas/decision.schema.json``."""
    return json.dumps(decision_schema(), indent=2, ensure_ascii=False) + "\n"
