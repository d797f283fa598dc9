"""Questions about the schema's fields, answered from the pydantic models themselves."""

from __future__ import annotations

import typing
from functools import cache

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


def references_at(record: BaseModel, path: tuple) -> list[tuple[tuple, object]]:
    """The ids a reference field names, with where each one is; a list of ids yields each item."""
    found = []
    for loc, value in along(record, path):
        if isinstance(value, list):
            found.extend(((*loc, index), item) for index, item in enumerate(value))
        else:
            found.append((loc, value))
    return found


def filled(record: BaseModel) -> list[tuple[tuple[str, ...], bool]]:
    """Paths of the filled fields that state something (not id, sources or notes), each with
    whether it is editorial: the atlas's own classification, which no source has to back."""
    found: list[tuple[tuple[str, ...], bool]] = []
    _fill(record, (), False, found)
    return list(dict.fromkeys(found))


def _fill(record: BaseModel, prefix: tuple, editorial: bool, found: list) -> None:
    for name, is_editorial in _fact_fields(type(record), not prefix):
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            _fill(value, (*prefix, name), editorial or is_editorial, found)
        elif value and isinstance(value, list) and isinstance(value[0], BaseModel):
            # Items of a list of sub-records share their field paths: ('weights', 'licence').
            for item in value:
                _fill(item, (*prefix, name), editorial or is_editorial, found)
        elif value is not None and value != []:
            found.append(((*prefix, name), editorial or is_editorial))


@cache
def dotted_prefixes(path: tuple[str, ...]) -> frozenset[str]:
    """('parameters', 'total') -> {'parameters', 'parameters.total'}: the names a source may use for it."""
    return frozenset(".".join(path[: depth + 1]) for depth in range(len(path)))


@cache
def _fact_fields(model: type[BaseModel], top: bool) -> tuple[tuple[str, bool], ...]:
    """(name, is editorial) of the fields `filled` looks at."""
    return tuple(
        (name, bool(extra(model, name, "x-editorial")))
        for name in names(model)
        if not (top and name in NOT_FACTS) and name not in ABOUT_THE_SOURCE
    )


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



@cache
def locations(model: type[BaseModel], kind: str) -> tuple[tuple[str, ...], ...]:
    """Where fields of a kind ('date' or 'list') sit in a record, '*' standing for any list item."""
    found = []
    for name, info in model.model_fields.items():
        is_list = typing.get_origin(info.annotation) is list
        if (kind == "date" and date_kind(model, name) is not None) or (kind == "list" and is_list):
            found.append((name,))
        inner = submodel(info.annotation)
        if inner is not None:
            prefix = (name, "*") if is_list else (name,)
            found.extend(prefix + path for path in locations(inner, kind))
    return tuple(found)


def along(value, path: tuple) -> list[tuple[tuple, object]]:
    """The non-null values at a location from `locations`, with where each one is."""
    found = [((), value)]
    for head in path:
        if head == "*":
            found = [((*loc, index), item) for loc, items in found if items for index, item in enumerate(items)]
        else:
            found = [((*loc, head), getattr(item, head)) for loc, item in found if item is not None]
    return [(loc, item) for loc, item in found if item is not None]
