"""docs/fields.md: the field reference of every record type, generated from the schema."""

from __future__ import annotations

from pydantic import BaseModel

from .fields import extra, submodel, validators
from .schema import TABLES
from .tabular import _list_item, _literal, _nullable, _unwrap

HEADER = """# Record fields

Generated from the schema by `owatlas build`; do not edit by hand. Every record is one YAML
file, `records/<table>/<id>.yaml`. *Required* fields must be filled; others may be `null` (or
`[]` for lists) when unknown. *Editorial* fields are the atlas's own classification and need no
source; every other filled field must be named in the `supports` of one of the record's sources.
"""


def render() -> str:
    parts = [HEADER]
    for table, model in TABLES.items():
        parts.append(f"\n## {table}\n\n{(model.__doc__ or '').strip()}\n")
        parts.append("| field | type | required | description |\n|---|---|---|---|")
        parts.extend(_rows(model, ""))
    return "\n".join(parts) + "\n"


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        notes = []
        if extra(model, name, "x-editorial"):
            notes.append("editorial")
        if extra(model, name, "x-references"):
            notes.append(f"ids in `{extra(model, name, 'x-references')}`")
        description = (info.description or "") + (f" ({'; '.join(notes)})" if notes else "")
        required = "yes" if info.is_required() and not _nullable(info.annotation) else ""
        rows.append(f"| `{path}` | {_type_name(info.annotation, info.metadata)} | {required} | {description} |")
        inner = submodel(info.annotation)
        if inner is not None:
            rows.extend(_rows(inner, f"{path}[]." if _list_item(info.annotation) else f"{path}."))
    return rows


NAMES = {
    "check_partial_date": "date (YYYY[-MM[-DD]])",
    "check_full_date": "date (YYYY-MM-DD)",
    "check_url": "URL",
    "check_id": "id",
    "check_country": "country code",
    "check_territory": "country code or EU",
    "check_language": "BCP 47 tag",
    "check_wikidata": "Wikidata id",
    "check_weights_location": "repo id or URL",
    "check_text": "text",
}


def _type_name(annotation, metadata=()) -> str:
    item = _list_item(annotation)
    if item is not None:
        return f"list of {_type_name(item)}"
    choices = _literal(annotation)
    if choices:
        return " \\| ".join(f"`{choice}`" for choice in choices)
    if submodel(_unwrap(annotation)) is not None:
        return "mapping"
    for func in validators(annotation, metadata):
        if func.__name__ in NAMES:
            return NAMES[func.__name__]
    return {str: "text", int: "integer", bool: "boolean"}.get(_unwrap(annotation), "text")
