"""Dates with precision ('2024', '2024-07', '2024-07-23') as the release publishes them: a typed
date (the first day of the period), its precision, and the text as written."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from .values import PARTIAL_DATE_PATTERN

PRECISIONS = {4: "year", 7: "month", 10: "day"}


def first_days(texts: pa.Array) -> pa.Array:
    """'2024-07' -> 2024-07-01: the first day of the period each text names."""
    length = pc.utf8_length(texts)
    suffix = pc.if_else(pc.equal(length, 4), "-01-01", pc.if_else(pc.equal(length, 7), "-01", ""))
    return pc.cast(pc.binary_join_element_wise(texts, suffix, ""), pa.date32())


def precisions(texts: pa.Array) -> pa.Array:
    length = pc.utf8_length(texts)
    return pc.if_else(pc.equal(length, 4), "year", pc.if_else(pc.equal(length, 7), "month", "day"))


def partial_date_columns(name: str, description: str, required: bool):
    """The three release columns of a date with precision: `name`, `name_precision`, `name_text`."""
    from .tabular import Column

    return [
        Column(name, pa.date32(), f"{description} As a date: the first day of its period (see {name}_precision).", required=required, field=name, convert=first_days),
        Column(f"{name}_precision", pa.string(), f"Precision of {name}: day, month or year.", required=required, enum=tuple(PRECISIONS.values()), field=name, convert=precisions),
        Column(f"{name}_text", pa.string(), f"{name} as written in the record: YYYY-MM-DD, YYYY-MM or YYYY.", required=required, text_pattern=PARTIAL_DATE_PATTERN, field=name),
    ]


def as_written(row: dict) -> dict:
    """A release row with its dates as the records write them: '2024-07', not 2024-07-01 and a precision."""
    written = {}
    for key, value in row.items():
        base = key.rpartition("_")[0]
        if key.endswith(("_precision", "_text")) and base in row and (row[base] is None or isinstance(row[base], dt.date)):
            continue  # the date's own columns: folded into it below
        if isinstance(value, dt.date):
            text = row.get(f"{key}_text")
            value = text if text is not None else value.isoformat()
        written[key] = value
    return written
