"""Dates with precision ('2024', '2024-07', '2024-07-23') as the release publishes them: a typed
date (the first day of the period), its precision, and the text as written."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .values import PARTIAL_DATE_PATTERN

PRECISIONS = {4: "year", 7: "month", 10: "day"}


def first_day(text: str) -> dt.date:
    """'2024-07' -> 2024-07-01: the first day of the period the text names."""
    return dt.date(int(text[:4]), int(text[5:7] or 1), int(text[8:10] or 1))


def precision(text: str) -> str:
    return PRECISIONS[len(text)]


def partial_date_columns(name: str, description: str, required: bool):
    """The three release columns of a date with precision: `name`, `name_precision`, `name_text`."""
    from .tabular import Column

    return [
        Column(name, pa.date32(), f"{description} As a date: the first day of its period (see {name}_precision).", required=required, field=name, convert=first_day),
        Column(f"{name}_precision", pa.string(), f"Precision of {name}: day, month or year.", required=required, enum=tuple(PRECISIONS.values()), field=name, convert=precision),
        Column(f"{name}_text", pa.string(), f"{name} as written in the record: YYYY-MM-DD, YYYY-MM or YYYY.", required=required, text_pattern=PARTIAL_DATE_PATTERN, field=name),
    ]


def as_written(row: dict) -> dict:
    """A release row with its dates as the records write them: '2024-07', not 2024-07-01 and a precision."""
    written = {}
    for key, value in row.items():
        if key.endswith(("_precision", "_text")) and key.rpartition("_")[0] in row:
            continue
        if isinstance(value, dt.date):
            text = row.get(f"{key}_text")
            value = text if text is not None else value.isoformat()
        written[key] = value
    return written
