"""Write a new record file from a template: every field in schema order, each with its description."""

from __future__ import annotations

import typing

import datetime as dt
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


def new_record(root: Path, table: str, record_id: str, today: dt.date | None = None) -> Path:
    table = table_name(table)
    try:
        check_id(record_id)
    except PydanticCustomError as error:
        raise ScaffoldError(f"invalid id: {error.message()}") from None
    path = root / RECORDS / table / f"{record_id}{SUFFIX}"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} exists already; edit it, or choose another id (ids are never reused)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(table, record_id, today or dt.date.today()), encoding="utf-8")
    return path


def template(table: str, record_id: str, today: dt.date) -> str:
    lines = [f"# yaml-language-server: $schema=../../schema/{table}.schema.json"]
    lines += _fields(TABLES[table], "", {"id": record_id, "accessed": f"'{today.isoformat()}'"})
    return "\n".join(lines) + "\n"


FIRST_ITEM_WRITTEN = {"sources", "weights"}  # lists nearly every record fills: the template holds one item to fill


def _fields(model: type[BaseModel], indent: str, values: dict) -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        comment = f"  # {info.description}" if info.description else ""
        inner = submodel(info.annotation)
        is_list = typing.get_origin(info.annotation) is list
        if inner is not None and is_list and name in FIRST_ITEM_WRITTEN:
            lines.append(f"{indent}{name}:{comment}")
            item = _fields(inner, indent + "    ", values)
            lines.append(f"{indent}  - {item[0].lstrip()}")
            lines += item[1:]
        elif inner is not None and is_list:
            lines.append(f"{indent}{name}: []{comment.rstrip('.')}; each item has {', '.join(inner.model_fields)}")
        elif inner is not None:
            lines.append(f"{indent}{name}:{comment}")
            lines += _fields(inner, indent + "  ", values)
        else:
            lines.append(f"{indent}{name}: {_placeholder(name, info, values)}{comment}")
    return lines


def _placeholder(name: str, info, values: dict) -> str:
    if name in values:
        return values[name]
    default = info.get_default(call_default_factory=True)
    if default == []:
        return "[]"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, str):
        return default
    return "null"
