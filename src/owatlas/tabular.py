"""Turn validated records into Arrow tables: one per record table, link tables and sources.

Every table is described by a list of Columns, derived from the schema: the Parquet table keeps
nested fields as lists and structs; the CSV table flattens structs into `parent_child` columns and
writes lists as JSON arrays.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass, field

import pyarrow as pa
from pydantic import BaseModel

from . import dates, derived
from .fields import date_kind, extra, reference_fields, submodel, validators
from .schema import TABLES, Retirement, Source
from .values import SCORE_PATTERN, check_flops, check_score


def _as_float(texts: pa.Array) -> pa.Array:
    return texts.cast(pa.float64())

SINGULAR = {"companies": "company", "licences": "licence", "models": "model", "quotes": "quote", "benchmarks": "benchmark"}


@dataclass(frozen=True)
class Column:
    """A column of a release table, with what the data package says about it."""

    name: str
    arrow: pa.DataType
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    text_pattern: str | None = None  # a pattern the text of the column's values follows
    references: str | None = None  # the table whose ids a derived column names
    field: str | None = None  # the record field the values come from, when it is not `name`
    convert: typing.Callable[[pa.Array], pa.Array] | None = None  # turns an Arrow array of the field's text into the column

    def values(self, rows: list[dict]) -> list:
        key = self.field or self.name
        return [row[key] for row in rows]

    def raw(self, values: list) -> pa.Array:
        """The field's values as Arrow, before any conversion: text for a column that converts it."""
        return pa.array(values, pa.string() if self.convert is not None else self.arrow)

    def array(self, values) -> pa.Array:
        """The column's Arrow array from the field's values (a list, or an Arrow array of them)."""
        arrow = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else self.raw(values)
        return self.convert(arrow) if self.convert is not None else arrow


@dataclass
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    data: dict[str, list] = field(default_factory=dict)  # column name -> values, in row order
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (CSV column, table whose id it names)

    _arrow: pa.Table | None = None

    def __post_init__(self):
        # Made once, here: holding Arrow instead of Python lists keeps the build's peak memory down.
        schema = pa.schema([pa.field(c.name, c.arrow, nullable=not c.required, metadata={"description": c.description}) for c in self.columns])
        self._arrow = pa.Table.from_arrays([c.array(self.data.get(c.name, [])) for c in self.columns], schema=schema)
        self.data = {}

    @property
    def row_count(self) -> int:
        return self._arrow.num_rows

    def arrow(self) -> pa.Table:
        return self._arrow

    def flat_columns(self) -> list[Column]:
        return [flat for column in self.columns for flat in _flatten_column(column)]

    def flat_arrow(self, nested: pa.Table | None = None) -> pa.Table:
        """The table as the CSV holds it: struct fields as parent_child columns, lists as JSON text."""
        flat = (nested if nested is not None else self.arrow()).flatten()
        columns = [_json_text(column) if pa.types.is_list(column.type) else column for column in flat.columns]
        return pa.Table.from_arrays(columns, names=[name.replace(".", "_") for name in flat.column_names])


def release_tables(records: dict[str, list[BaseModel]], retired: dict[str, list[Retirement]] | None = None) -> list[Table]:
    """All release tables, in a fixed order, rows sorted by primary key."""
    return combine([chunk_tables(records)], retired)


def chunk_tables(records: dict[str, list[BaseModel]]) -> dict[str, pa.Table]:
    """The Arrow tables of one chunk of records, all but `retired`, keyed by table name."""
    return {table.name: table.arrow() for table in _tables(records) if table.name not in ("retired", "model_openness")}


def combine(chunks: list[dict[str, pa.Table]], retired: dict[str, list[Retirement]] | None = None) -> list[Table]:
    """The release tables from the tables of chunks whose records follow each other in id order."""
    tables = _tables({}, retired)
    for table in tables:
        parts = [chunk[table.name] for chunk in chunks if table.name in chunk]
        if parts:
            table._arrow = pa.concat_tables(parts).combine_chunks()
    derived.complete({table.name: table for table in tables})
    return tables


def _tables(records: dict[str, list[BaseModel]], retired: dict[str, list[Retirement]] | None = None) -> list[Table]:
    tables = []
    for name, model in TABLES.items():
        rows = sorted(records.get(name, []), key=lambda record: record.id)
        tables.append(_record_table(name, model, rows))
    for name, model in TABLES.items():
        rows = sorted(records.get(name, []), key=lambda record: record.id)
        tables.extend(_link_tables(name, model, rows))
        tables.extend(_sub_record_tables(name, model, rows))
    tables.append(derived.openness_table())
    tables.append(_sources_table(records))
    tables.append(_retired_table(retired or {}))
    return tables


def _retired_table(retired: dict[str, list[Retirement]]) -> Table:
    columns = [Column("table", pa.string(), "Table the id was retired from.", required=True, enum=tuple(TABLES))]
    columns += [column for name, info in Retirement.model_fields.items() for column in _columns(name, Retirement, info.annotation, info.description or "")]
    rows = [{"table": table} | item.model_dump() for table in TABLES for item in sorted(retired.get(table, []), key=lambda r: r.id)]
    description = "Ids that were once used and stay reserved; a retired record is not in the other tables."
    return Table("retired", "Retired ids", description, columns, ["table", "id"], _columnar(rows, columns))


def _columnar(rows: list[dict], columns: list[Column]) -> dict[str, list]:
    return {column.name: column.values(rows) for column in columns}


def _record_table(name: str, model: type[BaseModel], records: list[BaseModel]) -> Table:
    fields = [field_name for field_name, info in model.model_fields.items() if field_name != "sources" and not _is_sub_records(info.annotation)]
    columns = [column for field_name in fields for column in _columns(field_name, model, model.model_fields[field_name].annotation, model.model_fields[field_name].description or "")]
    foreign_keys = [
        ("_".join(path), target) for path, target in reference_fields(model) if "*" not in path and _list_item(_annotation_at(model, path)) is None
    ]
    rows = [record.model_dump(include=set(fields)) for record in records]
    if name == "models":
        columns += derived.model_columns()
        foreign_keys.append(("licence_at_release", "licences"))
        for row, record in zip(rows, records, strict=True):
            row.update(derived.model_values(record))
    if name == "licences":
        columns += derived.licence_columns()
        for row, record in zip(rows, records, strict=True):
            row.update(derived.licence_values(record))
    description = (model.__doc__ or "").strip()
    return Table(name, name.capitalize(), description, columns, ["id"], _columnar(rows, columns), foreign_keys)


def _sub_record_tables(name: str, model: type[BaseModel], records: list[BaseModel]) -> list[Table]:
    """One table for every list of sub-records, e.g. model_weights: one row per model and weights entry."""
    tables = []
    for field_name, info in model.model_fields.items():
        if field_name == "sources" or not _is_sub_records(info.annotation):
            continue
        item = _list_item(info.annotation)
        owner = f"{SINGULAR[name]}_id"
        columns = [
            Column(owner, pa.string(), f"Id of the {SINGULAR[name]}.", required=True),
            Column("position", pa.int64(), f"1-based position of the entry in the record's {field_name} list.", required=True),
        ]
        columns += [column for sub, sub_info in item.model_fields.items() for column in _columns(sub, item, sub_info.annotation, sub_info.description or "")]
        resolve, extra_columns = derived.resolved(name, field_name)
        columns += list(extra_columns)
        rows = [
            {owner: record.id, "position": index} | entry.model_dump()
            for record in records
            for index, entry in enumerate(getattr(record, field_name), start=1)
        ]
        if resolve:
            entries = [(record, entry) for record in records for entry in getattr(record, field_name)]
            for row, (record, entry) in zip(rows, entries, strict=True):
                row.update(resolve(record, entry))
        foreign_keys = [(owner, name)] + [(sub, target) for (sub,), target in reference_fields(item)]
        foreign_keys += [(column.name, column.references) for column in extra_columns if column.references]
        table_name = extra(model, field_name, "x-table") or f"{SINGULAR[name]}_{field_name}"
        description = f"The {field_name.replace('_', ' ')} of each {SINGULAR[name]}, one row per entry: {(item.__doc__ or '').strip()}"
        tables.append(Table(table_name, table_name.replace("_", " ").capitalize(), description, columns, [owner, "position"], _columnar(rows, columns), foreign_keys))
    return tables


def _is_sub_records(annotation) -> bool:
    item = _list_item(annotation)
    return item is not None and isinstance(item, type) and issubclass(item, BaseModel)


def _link_tables(name: str, model: type[BaseModel], records: list[BaseModel]) -> list[Table]:
    """One table for every list of references, e.g. model_developers (model_id, company_id, position)."""
    tables = []
    for path, target in reference_fields(model):
        if "*" in path:
            continue  # a reference inside a list of sub-records is a column of that list's table
        annotation = _annotation_at(model, path)
        if _list_item(annotation) is None:
            continue
        owner, other = f"{SINGULAR[name]}_id", f"{SINGULAR[target]}_id"
        link = f"{SINGULAR[name]}_{path[-1]}"
        columns = [
            Column(owner, pa.string(), f"Id of the {SINGULAR[name]}.", required=True),
            Column(other, pa.string(), f"Id of the {SINGULAR[target]} it names in {'.'.join(path)}.", required=True),
            Column("position", pa.int64(), f"1-based position of the {SINGULAR[target]} in the record's {'.'.join(path)} list.", required=True),
        ]
        rows = []
        for record in records:
            value = record
            for part in path:
                value = getattr(value, part)
            rows.extend({owner: record.id, other: item, "position": index} for index, item in enumerate(value, start=1))
        description = f"Link table: the {'.'.join(path)} of each {SINGULAR[name]}, one row per reference."
        foreign_keys = [(owner, name), (other, target)]
        tables.append(Table(link, link.replace("_", " ").capitalize(), description, columns, [owner, other], _columnar(rows, columns), foreign_keys))
    return tables


def _sources_table(records: dict[str, list[BaseModel]]) -> Table:
    columns = [
        Column("table", pa.string(), "Table of the record the source backs.", required=True, enum=tuple(TABLES)),
        Column("record_id", pa.string(), "Id of the record in that table.", required=True),
        Column("source", pa.int64(), "1-based position of the source in the record's sources list.", required=True),
        Column("field", pa.string(), "A field of the record this source backs (dotted for sub-fields).", required=True),
    ]
    described = [name for name in Source.model_fields if name != "supports"]
    for field_name in described:
        columns += _columns(field_name, Source, Source.model_fields[field_name].annotation, Source.model_fields[field_name].description or "")
    per_source: list[dict] = []  # one row per source; the table repeats it for each field it backs
    fields: list[str] = []
    repeats: list[int] = []
    for table in TABLES:
        for record in sorted(records.get(table, []), key=lambda r: r.id):
            for index, source in enumerate(record.sources, start=1):
                backed = sorted(set(source.supports))
                per_source.append({"table": table, "record_id": record.id, "source": index} | {name: getattr(source, name) for name in described})
                fields += backed
                repeats += [len(per_source) - 1] * len(backed)
    take = pa.array(repeats, pa.int64())
    data = {column.name: column.raw(column.values(per_source)).take(take) for column in columns if column.name != "field"}
    data["field"] = fields
    description = "Evidence: one row per record, source and field that source backs."
    return Table("sources", "Sources", description, columns, ["table", "record_id", "source", "field"], data)


def _columns(name: str, model: type[BaseModel], annotation, description: str) -> list[Column]:
    """The release columns of one field: one, or three for a date with precision."""
    info = model.model_fields[name]
    required = info.is_required() and not _nullable(annotation)
    kind = date_kind(model, name)
    if kind == "full":
        return [Column(name, pa.date32(), description, required=required, convert=dates.first_days)]
    if kind == "partial":
        return dates.partial_date_columns(name, description, required)
    if check_score in validators(info.annotation, info.metadata):
        return [
            Column(name, pa.float64(), f"{description} As a number.", required=required, field=name, convert=_as_float),
            Column(f"{name}_text", pa.string(), f"{name} as the source writes it.", required=required, text_pattern=SCORE_PATTERN, field=name),
        ]
    return [Column(name, _arrow_type(annotation), description, required=required, enum=_literal(annotation))]


def _flatten_column(column: Column) -> list[Column]:
    if pa.types.is_struct(column.arrow):
        return [
            Column(f"{column.name}_{child.name}", child.type, child.metadata[b"description"].decode() if child.metadata else "")
            for child in column.arrow
        ]
    return [column]


def _json_text(column: pa.ChunkedArray) -> pa.Array:
    """Each list as JSON text, as json.dumps(..., ensure_ascii=False) writes it: ["a", "b"]."""
    import pyarrow.compute as pc

    lists = column.combine_chunks()
    items = lists.values  # with lists.offsets, where each list's items are
    if not pa.types.is_string(items.type) or pc.any(pc.match_substring_regex(items, r"[\x00-\x1f]")).as_py():
        return _json_text_in_python(column)  # control characters take json's own escapes
    escaped = pc.replace_substring(pc.replace_substring(items, "\\", "\\\\"), '"', '\\"')
    quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    rebuilt = pa.ListArray.from_arrays(lists.offsets, quoted, mask=lists.is_null())
    return pc.binary_join_element_wise("[", pc.binary_join(rebuilt, ", "), "]", "")


def _json_text_in_python(column: pa.ChunkedArray) -> pa.Array:
    texts: dict[tuple, str] = {}  # lists repeat a lot (["text"], one developer): encode each once

    def text(value):
        if value is None:
            return None
        key = tuple(value)
        if key not in texts:
            texts[key] = json.dumps(value, ensure_ascii=False)
        return texts[key]

    return pa.array([text(value) for value in column.to_pylist()], pa.string())


def _arrow_type(annotation) -> pa.DataType:
    if check_flops in validators(annotation):
        return pa.float64()
    annotation = _unwrap(annotation)
    item = _list_item(annotation)
    if item is not None:
        return pa.list_(_arrow_type(item))
    inner = submodel(annotation)
    if inner is not None:
        return pa.struct(
            [
                pa.field(name, _arrow_type(info.annotation), metadata={"description": info.description or ""})
                for name, info in inner.model_fields.items()
            ]
        )
    if typing.get_origin(annotation) is typing.Literal:
        return pa.string()
    return {str: pa.string(), int: pa.int64(), bool: pa.bool_()}[annotation]


def _unwrap(annotation):
    """Strip Annotated[...] and `| None` to the type underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, _UnionType):
            annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        else:
            return annotation


def _nullable(annotation) -> bool:
    return typing.get_origin(annotation) in (typing.Union, _UnionType) and type(None) in typing.get_args(annotation)


def _list_item(annotation):
    annotation = _unwrap(annotation)
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None


def _literal(annotation) -> tuple[str, ...]:
    annotation = _unwrap(annotation)
    return tuple(typing.get_args(annotation)) if typing.get_origin(annotation) is typing.Literal else ()


def _annotation_at(model: type[BaseModel], path: tuple[str, ...]):
    for part in path[:-1]:
        model = submodel(model.model_fields[part].annotation)
    return model.model_fields[path[-1]].annotation


_UnionType = type(int | None)
