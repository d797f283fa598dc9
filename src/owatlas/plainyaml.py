"""Read a plain record with yaml-rs, five times faster than libyaml, where it cannot differ.

yaml-rs reads YAML 1.2 and resolves scalars by its core schema; the safe reader (reader.py) reads
with libyaml, refuses tags, anchors, aliases and duplicate keys, and reads plain scalars by
`scalars.plain`. A scan of the text and a check of the result leave to libyaml every file the two
could read differently; tests/test_fast_reader.py compares them on generated YAML.
"""

from __future__ import annotations

import re

from .scalars import AMBIGUOUS_BOOL, AMBIGUOUS_NUMBER, NUMBER_START, YAML11_BOOLEANS, plain

try:
    import yaml_rs
except ImportError:  # no wheel for this platform: libyaml reads every file
    yaml_rs = None


# Plain scalars that yaml-rs may read as integers and `plain` does not: a whole value with a
# leading zero (0123, 0x1F, 0o14), or of digits and underscores (1_000, _1). Each pattern starts
# with a literal, which keeps the scan fast; `_odd_numbers` checks the start. (Items of flow lists
# never start with 0, + or -: see _ITEM.)
_LEADING_ZERO = re.compile(r"0(?:(?<=[\s:]0)|(?<=[\s:][-+]0))[0-9a-zA-Z_]+ *(?:[\n#,\]]|$)")
_UNDERSCORE = re.compile(r"_[0-9_]* *(?:[\n#,\]]|$)")
# yaml-rs recurses once per level of nesting and overflows the stack (a crash, not an error) past
# some ten thousand levels. Indentation bounds the depth to about 1,400 in a 1 MiB file, unless
# entries are nested on one line: `- - - x`, `? ? x`.
_NESTED_ENTRY = re.compile(r"- +-(?: |$)", re.MULTILINE)
# YAML 1.1 and 1.2 read flow collections differently ([x:], [:x], {a: b}); only one-line lists of
# plain words or quoted text are left to yaml-rs.
_ITEM = r"""(?:[^\s,\[\]{}#'":?!&*|>%@`0+-](?:[^,\[\]{}#:\n]*[^\s,\[\]{}#:])?|https?://[\w./?=%+~-]*|'(?:[^'\n]|'')*'|"[^"\\\n]*")"""
_SIMPLE_LIST = re.compile(rf"\[ *(?:{_ITEM} *(?:, *{_ITEM} *)*)?\] *(?: #[^\n]*)?(?:\n|$)")


def _plain_sailing(text: str) -> bool:
    """Whether yaml-rs can only read `text` as libyaml and our scalar rules do.

    Refused: characters libyaml refuses or takes for line breaks (tab, CR, controls, NEL,
    U+2028, U+2029, a BOM inside the text; `isprintable` refuses a few harmless ones too);
    tags, anchors and aliases; numbers spelled as above; flow collections other than simple lists;
    block scalars other than `>-` and `|-`, and a last line without its line break (the two
    parsers keep different line breaks at the end of a block scalar); entries nested on one line.
    """
    return (
        text.endswith("\n")
        and text.replace("\n", "").isprintable()
        and "!" not in text
        and "&" not in text
        and "*" not in text
        and "{" not in text
        and "? " not in text
        and _NESTED_ENTRY.search(text) is None
        and not _odd_numbers(text)
        and _simple_lists(text)
        and _stripped_blocks(text, "|")
        and _stripped_blocks(text, ">")
    )


def _odd_numbers(text: str) -> bool:
    if _LEADING_ZERO.search(text):
        return True
    for match in _UNDERSCORE.finditer(text):
        start = match.start()
        while start and text[start - 1] in "0123456789_":
            start -= 1
        if start and text[start - 1] in "+-":
            start -= 1
        if start == 0 or text[start - 1] in " \n[,:":
            return True
    return False


def _stripped_blocks(text: str, style: str) -> bool:
    """Whether every `style` character that may start a block scalar is the header `|-` or `>-` on its own."""
    start = text.find(style)
    while start != -1:
        if (start == 0 or text[start - 1] in " \n") and not text.startswith("-\n", start + 1):
            return False
        start = text.find(style, start + 1)
    return True


def _simple_lists(text: str) -> bool:
    """Whether every `[` that may open a flow list (at the start of a line or after a space) opens a simple one."""
    start = text.find("[")
    while start != -1:
        if (start == 0 or text[start - 1] in " \n") and _SIMPLE_LIST.match(text, start) is None:
            return False
        start = text.find("[", start + 1)
    return True


def parse(text: str, max_depth: int) -> dict | None:
    """The data of a plain record, parsed by yaml-rs, or None when libyaml must read the text."""
    if yaml_rs is None or not _plain_sailing(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001  any refusal (syntax, duplicate key, depth): the libyaml paths say exactly why
        return None
    doubtful: list[str] = []
    if type(data) is not dict or not _as_our_rules_read_it(data, max_depth, doubtful):
        return None
    for value in doubtful:  # every occurrence in quotes: it was not written plain anywhere
        if text.count(value) != text.count(f"'{value}'") + text.count(f'"{value}"'):
            return None
    return data


def _as_our_rules_read_it(value, depth: int, doubtful: list[str]) -> bool:
    """Whether yaml-rs's value is what `plain` makes of the same text, with `depth` more levels allowed.

    Keys must be text, and floats are never ours. Text that `plain` reads as a null, a boolean or
    an integer was quoted, or yaml-rs would have read it so too. Text that `plain` finds ambiguous
    (`NO`, `1.10`, `12:30`) may have been written plain: it goes into `doubtful`.
    """
    kind = type(value)
    if kind is str:
        _note_doubtful(value, doubtful)
        return True
    if kind is dict:
        items = value.values()
        if depth == 0 or any(type(key) is not str for key in value):
            return False
    elif kind is list:
        items = value
        if depth == 0:
            return False
    else:
        return value is None or kind is bool or kind is int
    for item in items:  # leaves inline: most of a record is short text, numbers and nulls
        inner = type(item)
        if inner is str:
            if item and (item[0] in NUMBER_START or item in YAML11_BOOLEANS):
                _note_doubtful(item, doubtful)
        elif inner is dict or inner is list:
            if not _as_our_rules_read_it(item, depth - 1, doubtful):
                return False
        elif not (item is None or inner is bool or inner is int):
            return False
    return True


def _note_doubtful(text: str, doubtful: list[str]) -> None:
    resolved = plain(text)
    if resolved is AMBIGUOUS_BOOL or resolved is AMBIGUOUS_NUMBER:
        doubtful.append(text)
