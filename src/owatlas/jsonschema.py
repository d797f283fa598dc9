"""JSON Schemas of the record files, generated from the pydantic models, for editors and other tools."""

from __future__ import annotations

import json
from .schema import TABLES, Retirements

SCHEMAS = TABLES | {"retired": Retirements}

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def record_schema(table: str) -> dict:
    schema = SCHEMAS[table].model_json_schema()
    return {"$schema": DIALECT, "$id": f"{table}.schema.json", **schema}


def render(table: str) -> bytes:
    return (json.dumps(record_schema(table), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def schema_files() -> dict[str, bytes]:
    """File name under schema/ -> content, for every table."""
    return {f"{table}.schema.json": render(table) for table in SCHEMAS}
