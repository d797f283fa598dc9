"""Questions about the schema's fields, answered from the pydantic models themselves."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from pydantic import BaseModel

NOT_FACTS = frozenset({"id", "sources", "notes"})
ABOUT_THE_SOURCE = frozenset({"approximate", "source"})


def submodel(annotation) -> type[BaseModel] | None:
    """The model class inside an annotation such as `Parameters` or `Openness | None`."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


@cache
def extra(model: type[BaseModel], name: str, key: str):
    info = model.model_fields[name]
    return (info.json_schema_extra or {}).get(key) if isinstance(info.json_schema_extra, dict) else None


@cache
def names(model: type[BaseModel]) -> tuple[str, ...]:
    """The model's field names in schema order (cached: pydantic's model_fields is a slow property)."""
    return tuple(model.model_fields)


@cache
def field_paths(model: type[BaseModel]) -> frozenset[str]:
    """Every dotted field path a source may name in `supports`, e.g. 'parameters.total'."""
    paths = set()
    for name, info in model.model_fields.items():
        if name in NOT_FACTS:
            continue
        paths.add(name)
        inner = submodel(info.annotation)
        if inner is not None:
            paths.update(f"{name}.{sub}" for sub in field_paths(inner))
    return frozenset(paths)


@cache
def reference_fields(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(location, target table) for every field that names ids of a table; '*' stands for any
    item of a list of sub-records, e.g. ('weights', '*', 'licence')."""
    found = []
    for name, info in model.model_fields.items():
        target = extra(model, name, "x-references")
        if target:
            found.append(((name,), target))
        inner = submodel(info.annotation)
        if inner is not None:
            prefix = (name, "*") if typing.get_origin(info.annotation) is list else (name,)
            found.extend(((*prefix, *path), sub_target) for path, sub_target in reference_fields(inner))
    return tuple(found)


@cache
def dotted_prefixes(path: tuple[str, ...]) -> frozenset[str]:
    """('parameters', 'total') -> {'parameters', 'parameters.total'}: the names a source may use for it."""
    return frozenset(".".join(path[: depth + 1]) for depth in range(len(path)))


def validators(annotation, metadata=()) -> list:
    """The validator functions of a field, also those inside `X | None` and list items."""
    found = [getattr(item, "func", None) for item in metadata]
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Annotated:
            found += [getattr(item, "func", None) for item in typing.get_args(candidate)[1:]]
    return [func for func in found if func is not None]


@cache
def date_kind(model: type[BaseModel], name: str) -> str | None:
    """'full' for a YYYY-MM-DD field, 'partial' for a date with precision, None for other fields."""
    from .values import check_full_date, check_partial_date

    info = model.model_fields[name]
    found = validators(info.annotation, info.metadata)
    return "full" if check_full_date in found else "partial" if check_partial_date in found else None


@dataclass
class Walk:
    """What one pass over a record finds, for every rule that looks at its values."""

    filled: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # fact paths, each with whether it is editorial
    dates: list[tuple[tuple, str]] = field(default_factory=list)  # (location, date text)
    lists: list[tuple[tuple, list]] = field(default_factory=list)  # (location, non-empty list)
    references: list[tuple[tuple, str, str]] = field(default_factory=list)  # (location, id, table it names)


class _Step(NamedTuple):
    name: str
    fact: bool  # a path `filled` reports (not id, sources, notes or what describes a source)
    editorial: bool
    date: bool
    is_list: bool
    references: str | None
    inner: tuple | None  # the steps of a sub-record


@cache
def _steps(model: type[BaseModel], top: bool = True) -> tuple[_Step, ...]:
    steps = []
    for name, info in model.model_fields.items():
        inner = submodel(info.annotation)
        steps.append(
            _Step(
                name,
                not (top and name in NOT_FACTS) and name not in ABOUT_THE_SOURCE,
                bool(extra(model, name, "x-editorial")),
                date_kind(model, name) is not None,
                typing.get_origin(info.annotation) is list,
                extra(model, name, "x-references"),
                _steps(inner, False) if inner is not None else None,
            )
        )
    return tuple(steps)


def walk(record: BaseModel) -> Walk:
    """Every filled fact path, date, list and reference of a record, with where each one is.

    Items of a list of sub-records share their fact paths: ('weights', 'licence')."""
    found = Walk()
    _walk(record, _steps(type(record)), (), (), False, True, found)
    found.filled = list(dict.fromkeys(found.filled))
    return found


def _walk(record, steps, loc: tuple, path: tuple, editorial: bool, fact: bool, found: Walk) -> None:
    filled, dates, lists, references = found.filled, found.dates, found.lists, found.references
    # A pydantic record's __dict__ holds its values in field order: zip beats getattr by name.
    for step, value in zip(steps, record.__dict__.values()):
        if value is None:
            continue
        name, step_fact, step_editorial, date, is_list, target, inner = step
        if is_list:
            if not value:
                continue
            here = loc + (name,)
            lists.append((here, value))
            if inner is not None:
                where = path + (name,)
                for index, item in enumerate(value):
                    _walk(item, inner, here + (index,), where, editorial or step_editorial, fact and step_fact, found)
                continue
            if fact and step_fact:
                filled.append((path + (name,), editorial or step_editorial))
            if target:
                references.extend((here + (index,), item, target) for index, item in enumerate(value))
        elif inner is not None:
            _walk(value, inner, loc + (name,), path + (name,), editorial or step_editorial, fact and step_fact, found)
        else:
            if fact and step_fact:
                filled.append((path + (name,), editorial or step_editorial))
            if target:
                references.append((loc + (name,), value, target))
            elif date:
                dates.append((loc + (name,), value))
