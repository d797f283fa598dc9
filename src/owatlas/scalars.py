"""How a plain (unquoted) YAML scalar is read: a small YAML 1.2 subset in which every YAML 1.1
surprise (`NO`, `1.10`, `0123`, `12:30`, ...) is a marker asking for quotes, not a silent change."""

from __future__ import annotations

import re

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")
YAML11_BOOLEANS = frozenset({"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
NUMBER_START = frozenset("0123456789+-.")
_NUMBER_LIKE = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?"  # 1.10, 0123, 1_000, 1e3
    r"|[-+]?0[xXoObB][0-9a-fA-F_]+"  # 0x1F, 0o14, 0b101
    r"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?"  # 12:30 (sexagesimal)
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)

AMBIGUOUS_BOOL, AMBIGUOUS_NUMBER = object(), object()


def plain(text: str):
    """A plain scalar's value by the YAML 1.2 core rules we accept, or a marker for a YAML 1.1 trap."""
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text in YAML11_BOOLEANS:
        return AMBIGUOUS_BOOL
    if text[0] not in NUMBER_START:
        return text
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER_LIKE.fullmatch(text):
        return AMBIGUOUS_NUMBER
    return text


def looks_ambiguous(text: str) -> bool:
    """Whether `text`, written as a plain scalar, would not be read back as this same text."""
    return plain(text) != text
