"""Write a new record file from a template: every field in schema order, each with its description."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from .corpus import RECORDS, SUFFIX
from .fields import submodel
from .schema import TABLES
from .tabular import SINGULAR
from .values import check_id


class ScaffoldError(Exception):
    """A new record that cannot be written, and why."""


def table_name(name: str) -> str:
    """'model' or 'models' -> 'models'."""
    plural = {singular: table for table, singular in SINGULAR.items()}
    if name in TABLES:
        return name
    if name in plural:
        return plural[name]
    raise ScaffoldError(f"unknown table {name!r}; expected one of: {', '.join(TABLES)}")


@dataclass
class Prefill:
    """What a template starts with beyond placeholders: values by dotted field path (YAML text and
    an optional comment), whole items for the lists of sub-records, and comment lines on top."""

    values: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    items: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # 'weights' / 'sources' -> items, YAML text per field
    notes: list[str] = field(default_factory=list)


def new_record(root: Path, table: str, record_id: str, today: dt.date | None = None, prefill: Prefill | None = None) -> Path:
    table = table_name(table)
    try:
        check_id(record_id)
    except PydanticCustomError as error:
        raise ScaffoldError(f"invalid id: {error.message()}") from None
    path = root / RECORDS / table / f"{record_id}{SUFFIX}"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} exists already; edit it, or choose another id (ids are never reused)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(table, record_id, today or dt.date.today(), prefill), encoding="utf-8")
    return path


def template(table: str, record_id: str, today: dt.date, prefill: Prefill | None = None) -> str:
    prefill = prefill or Prefill()
    lines = [f"# yaml-language-server: $schema=../../schema/{table}.schema.json"] + [f"# {note}" for note in prefill.notes]
    values = {"id": (record_id, None), "accessed": (f"'{today.isoformat()}'", None)} | prefill.values
    lines += _fields(TABLES[table], "", values, prefill.items)
    return "\n".join(lines) + "\n"


FIRST_ITEM_WRITTEN = {"sources", "weights"}  # lists nearly every record fills: the template holds one item to fill


def _fields(model: type[BaseModel], indent: str, values: dict, items: dict, prefix: str = "") -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        comment = f"  # {info.description}" if info.description else ""
        inner = submodel(info.annotation)
        is_list = typing.get_origin(info.annotation) is list
        if inner is not None and is_list and (name in FIRST_ITEM_WRITTEN or path in items):
            lines.append(f"{indent}{name}:{comment}")
            for given in items.get(path, []):
                lines += _item(indent, [f"{key}: {value}" for key, value in given.items()])
            if name in FIRST_ITEM_WRITTEN and (name == "sources" or path not in items):
                lines += _item(indent, _fields(inner, "", values, {}, f"{path}."))
        elif inner is not None and is_list:
            lines.append(f"{indent}{name}: []{comment.rstrip('.')}; each item has {', '.join(inner.model_fields)}")
        elif inner is not None:
            lines.append(f"{indent}{name}:{comment}")
            lines += _fields(inner, indent + "  ", values, items, f"{path}.")
        else:
            text, note = values.get(path) or values.get(name) or (_placeholder(info), None)
            lines.append(f"{indent}{name}: {text}{f'  # {note}' if note else comment}")
    return lines


def _item(indent: str, lines: list[str]) -> list[str]:
    """Lines of one list item under a key at `indent`: '  - first', then the rest aligned with it."""
    return [f"{indent}  - {lines[0]}"] + [f"{indent}    {line}" for line in lines[1:]]


def _placeholder(info) -> str:
    default = info.get_default(call_default_factory=True)
    if default == []:
        return "[]"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, str):
        return default
    return "null"
