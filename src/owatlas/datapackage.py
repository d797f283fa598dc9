"""The Frictionless (Data Package v2) descriptor of a release, generated from the tables."""

from __future__ import annotations

import json

import pyarrow as pa

from . import __data_version__
from .tabular import Column, Table

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DATA_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0 International"}


def descriptor(tables: list[Table]) -> dict:
    return {
        "$schema": PROFILE,
        "name": "open-weight-atlas",
        "title": "Open Weight Atlas",
        "description": (
            "The open-weight AI landscape: released models, the organisations behind them, the licences "
            "they ship under and what people on record said about them. Every fact cites its sources."
        ),
        "version": __data_version__,
        "licenses": [DATA_LICENCE],
        "contributors": [{"title": "Open Weight Atlas contributors", "roles": ["creator"]}],
        "keywords": ["open-weight models", "AI", "licences", "LLM"],
        "resources": [_resource(table) for table in tables],
    }


def render(tables: list[Table]) -> bytes:
    return (json.dumps(descriptor(tables), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _resource(table: Table) -> dict:
    schema = {
        "fields": [_field(column) for column in table.flat_columns()],
        "primaryKey": table.primary_key,
        "missingValues": [""],
    }
    foreign_keys = [_foreign_key(table, column, target) for column, target in table.foreign_keys]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": table.name,
        "type": "table",
        "path": f"csv/{table.name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": table.title,
        "description": table.description,
        "dialect": {"header": True, "delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\r\n"},
        "schema": schema,
    }


def _foreign_key(table: Table, column: str, target: str) -> dict:
    """A key into another resource; a self-reference names the resource "" (Frictionless convention)."""
    return {"fields": [column], "reference": {"resource": "" if target == table.name else target, "fields": ["id"]}}


def _field(column: Column) -> dict:
    field: dict = {"name": column.name, "type": _type(column), "description": column.description}
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.text_pattern:
        constraints["pattern"] = column.text_pattern.strip("^$")
    if pa.types.is_list(column.arrow):
        field["description"] += " A JSON array."
    if constraints:
        field["constraints"] = constraints
    return field


def _type(column: Column) -> str:
    arrow = column.arrow
    if pa.types.is_date(arrow):
        return "date"
    if pa.types.is_floating(arrow):
        return "number"
    if pa.types.is_list(arrow):
        return "array"
    if pa.types.is_integer(arrow):
        return "integer"
    if pa.types.is_boolean(arrow):
        return "boolean"
    return "string"
