"""Rewrite record files canonically, keeping their comments.

Canonical means: keys in schema order (unknown keys last, for validate to report), two-space
indentation with list items indented under their key, `null` written out, dates and any text a
YAML reader could misread in single quotes, and the lists whose order carries no meaning sorted.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .fields import submodel
from .problems import Problem
from .reader import read_record
from .scalars import looks_ambiguous
from .schema import TABLES

UNORDERED_LISTS = {
    ("about", "models"),
    ("about", "companies"),
    ("topics",),
    ("excluded_territories",),
    ("absent_terms",),
    ("modalities", "input"),
    ("modalities", "output"),
}
_INDICATORS = set("?:-,[]{}#&*!|>'\"%@`")
_DATE_LIKE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}([T ].*)?")


@dataclass
class FormatResult:
    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_files(root: Path, files: list[Path], *, check: bool = False) -> FormatResult:
    """Format `files` (rewrite them unless `check`); files YAML cannot read safely are reported, not touched."""
    result = FormatResult()
    for file in files:
        display = _display(root, file)
        table = file.parent.name
        read = read_record(file, display, file.stem)
        if read.problems:
            result.problems.extend(read.problems)
            continue
        original = file.read_text(encoding="utf-8-sig")
        formatted = format_text(original, TABLES.get(table))
        if formatted != original.replace("\r\n", "\n"):
            result.changed.append(file)
            if not check:
                file.write_text(formatted, encoding="utf-8")
    return result


def format_text(text: str, model: type[BaseModel] | None) -> str:
    """The canonical form of one record's YAML text."""
    yaml = _yaml()
    data = yaml.load(text)
    data = _canonical(data, model, ())
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = False
    yaml.representer.add_representer(type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _canonical(value, model: type[BaseModel] | None, path: tuple):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, CommentedMap):
        return _reorder(value, model, path)
    if isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            value[index] = _canonical(item, model, path)
        if path in UNORDERED_LISTS and all(isinstance(item, str) for item in value):
            value[:] = sorted(value)
        return value
    if isinstance(value, dt.date):
        return SingleQuotedScalarString(value.isoformat())
    if isinstance(value, str) and _needs_quotes(value) and type(value) is str:
        return SingleQuotedScalarString(value)
    return value


def _needs_quotes(text: str) -> bool:
    # A leading indicator character is legal plain YAML in some places only; quoting is always safe.
    return looks_ambiguous(text) or bool(_DATE_LIKE.fullmatch(text)) or text[:1] in _INDICATORS


def _reorder(mapping, model: type[BaseModel] | None, path: tuple, inherited: list[str] | None = None):
    """The mapping with keys in schema order; each comment stays with the key it was written next to."""
    from ruamel.yaml.comments import CommentedMap

    original = list(mapping.keys())
    known = list(model.model_fields) if model else []
    order = [key for key in known if key in mapping] + [key for key in original if key not in known]
    end_of_line, before = _split_comments(mapping, original)
    if inherited and original:
        before[original[0]] = inherited + before.get(original[0], [])
    result = CommentedMap()
    result.fa.set_flow_style() if mapping.fa.flow_style() else result.fa.set_block_style()
    if mapping.ca.comment:
        result.ca.comment = mapping.ca.comment
    for key in order:
        inner = submodel(model.model_fields[key].annotation) if model and key in model.model_fields else None
        value = mapping[key]
        child_lines = before.pop(("inside", key), None)
        if isinstance(value, CommentedMap):
            result[key] = _reorder(value, inner, (*path, key), child_lines)
        else:
            result[key] = _canonical(value, inner, (*path, key))
            if child_lines:
                before[key] = before.get(key, []) + child_lines
        if key in end_of_line:
            result.ca.items[key] = [None, None, end_of_line[key], None]
        if before.get(key):
            result.yaml_set_comment_before_after_key(key, before="\n".join(before[key]), indent=_indent(mapping))
    return result


def _split_comments(mapping, keys: list) -> tuple[dict, dict]:
    """ruamel keeps the full-line comments that precede a key on the key before it; give them back to their key.

    Returns the end-of-line comment token of each key, and the comment lines written before each key
    (under ("inside", key) those written before the first key of a mapping that is key's value).
    """
    from ruamel.yaml.comments import CommentedMap

    end_of_line: dict = {}
    before: dict = {}
    for index, key in enumerate(keys):
        slots = mapping.ca.items.get(key) or []
        for slot in slots[1:2]:
            for token in slot or []:
                before.setdefault(key, []).extend(_lines(token.value))
        token = next((t for t in slots[2:4] if t is not None and hasattr(t, "value")), None)
        if token is None:
            continue
        first, _, rest = token.value.partition("\n")
        if first.strip():
            token.value = first + "\n"
            end_of_line[key] = token
        lines = _lines(rest)
        if lines:
            owner = ("inside", key) if isinstance(mapping[key], CommentedMap) else (keys[index + 1] if index + 1 < len(keys) else key)
            before.setdefault(owner, []).extend(lines)
    return end_of_line, before


def _lines(text: str) -> list[str]:
    """Comment lines as yaml_set_comment_before_after_key wants them: without '#', blank lines kept."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.strip().removeprefix("#").removeprefix(" ") if line.strip() else "" for line in lines]


def _indent(mapping) -> int:
    return getattr(mapping.lc, "col", 0) or 0


def _display(root: Path, file: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()
