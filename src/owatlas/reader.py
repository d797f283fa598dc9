"""Read one record file with safe YAML semantics, keeping where every value stands.

The parser (libyaml when available) only produces events; the tree is built here, so that
tags, anchors, aliases, duplicate keys and deep nesting are refused before they become data,
and plain scalars are resolved by a small YAML 1.2 subset in which every YAML 1.1 surprise
(`NO`, `1.10`, `0123`, `12:30`, ...) is an error asking for quotes instead of a silent change.

Most record files are plain: those are parsed by yaml-rs (plainyaml.py), five times faster.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

import yaml

from . import plainyaml
from .problems import Problem, field_name
from .scalars import AMBIGUOUS_BOOL, AMBIGUOUS_NUMBER, plain

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # opening a symbolic link then fails, with no extra stat


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """A parsed record: its data and the 1-based position of every value and key.

    The fast path leaves the positions out; they are found by reading the text again the first
    time one is asked for (only files with a problem ever need them).
    """

    data: dict
    values: dict[tuple, Position] = field(default_factory=dict)
    keys: dict[tuple, Position] = field(default_factory=dict)
    source: str | os.PathLike | None = None

    def position(self, path: tuple) -> Position:
        """Where the value at `path` stands; for a missing field, its nearest present parent."""
        self._locate()
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Position(1, 1))

    def key_position(self, path: tuple) -> Position:
        self._locate()
        return self.keys.get(path) or self.position(path)

    def _locate(self) -> None:
        if self.source is not None:
            with open(self.source, encoding="utf-8-sig") as stream:
                located = _Builder("", "").build(stream.read())
            self.values, self.keys, self.source = located.values, located.keys, None


@dataclass
class ReadResult:
    document: Document | None
    problems: list[Problem]


class _Stop(Exception):
    """A problem after which the rest of the file cannot be read."""


def read_record(file: str | os.PathLike, display: str, record: str) -> ReadResult:
    """Read `file`; `display` is its repo-relative path and `record` its id, for messages."""
    return _Builder(display, record).read(file)


class _Builder:
    def __init__(self, display: str, record: str):
        self.display = display
        self.record = record
        self.problems: list[Problem] = []

    def problem(self, line: int, column: int, path: tuple, message: str, code: str) -> None:
        self.problems.append(Problem(self.display, line, column, self.record, field_name(path), message, code))

    def stop(self, line: int, column: int, path: tuple, message: str, code: str) -> None:
        self.problem(line, column, path, message, code)
        raise _Stop

    def read(self, file: str | os.PathLike) -> ReadResult:
        try:
            text = self.decode(file)
            data = plainyaml.parse(text, MAX_DEPTH)
            document = Document(data=data, source=file) if data is not None else _fast(text, file)
            if document is None:
                document = self.build(text)
        except _Stop:
            return ReadResult(None, self.problems)
        if self.problems:
            return ReadResult(None, self.problems)
        return ReadResult(document, [])

    def decode(self, file: str | os.PathLike) -> str:
        if not _NOFOLLOW and os.path.islink(file):
            self.stop(1, 1, (), "record files must be regular files, not symbolic links", "not-a-file")
        try:
            descriptor = os.open(file, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0))
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.stop(1, 1, (), "record files must be regular files, not symbolic links", "not-a-file")
            raise
        with open(descriptor, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            self.stop(1, 1, (), f"file is larger than the {MAX_BYTES} byte limit for a record", "file-too-large")
        if b"\0" in raw:
            line, column = _line_column(raw, raw.index(b"\0"))
            self.stop(line, column, (), "file contains a NUL byte; expected UTF-8 text", "not-text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line, column = _line_column(raw, error.start)
            found = raw[error.start : error.start + 1].hex()
            self.stop(line, column, (), f"file is not valid UTF-8: byte 0x{found} cannot start a character; save the file as UTF-8", "not-utf8")
        return text.removeprefix("\ufeff")

    def build(self, text: str) -> Document:
        events = yaml.parse(text, Loader=_Loader)
        try:
            return self.walk(events)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = " ".join(part for part in (error.context, error.problem) if part)
            if mark and text[mark.index : mark.index + 1] == "\t":
                message = "a tab character cannot indent YAML or start a value; use spaces"
            if "nesting depth" in message:
                self.stop(line, column, (), f"nesting is deeper than {MAX_DEPTH} levels; records are shallow", "too-deep")
            self.stop(line, column, (), f"YAML syntax error: {message}", "yaml-syntax")
        except yaml.reader.ReaderError as error:
            line = text.count("\n", 0, error.position) + 1
            column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
            self.stop(line, column, (), f"control character U+{error.character:04X} is not allowed in YAML; remove it", "not-text")
        except yaml.YAMLError as error:
            self.stop(1, 1, (), f"YAML error: {' '.join(str(error).split())}", "yaml-syntax")

    def walk(self, events) -> Document:
        document = Document(data={})
        stack: list[list] = []  # [container, path, pending key or None]
        root = None
        documents = 0
        for event in events:
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.stop(line, column, (), "file holds more than one YAML document; expected exactly one record", "several-documents")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                self.stop(line, column, self.path_of(stack), f"alias *{event.anchor} is not allowed; write the value out in full", "yaml-alias")
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if getattr(event, "anchor", None) is not None:
                self.stop(line, column, self.path_of(stack), f"anchor &{event.anchor} is not allowed; write values out in full", "yaml-anchor")
            self.refuse_tag(event, line, column, stack)
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                self.take_key(event, line, column, stack, document)
                continue
            path = self.path_of(stack)
            value = self.value_of(event, line, column, path)
            position = Position(line, column)
            if stack:
                self.attach(stack, value)
            else:
                root = value
            document.values[path] = position
            if isinstance(value, (dict, list)):
                if len(stack) >= MAX_DEPTH:
                    self.stop(line, column, path, f"nesting is deeper than {MAX_DEPTH} levels; records are shallow", "too-deep")
                stack.append([value, path, None])
        if documents == 0 or root is None:
            self.stop(1, 1, (), "file is empty; expected a record (a mapping of fields)", "empty-file")
        if not isinstance(root, dict):
            self.stop(1, 1, (), f"expected a mapping of fields at the top level; found {_kind(root)}", "not-a-mapping")
        document.data = root
        return document

    def refuse_tag(self, event, line: int, column: int, stack: list) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.stop(line, column, self.path_of(stack), f"YAML tag {shown} is not allowed; records hold plain values only", "yaml-tag")

    def take_key(self, event, line: int, column: int, stack: list, document: Document) -> None:
        mapping, path, _ = stack[-1]
        if not isinstance(event, yaml.ScalarEvent):
            self.stop(line, column, path, "mapping keys must be plain field names, not mappings or lists", "complex-key")
        key = event.value
        if key in mapping:
            first = document.keys[path + (key,)]
            self.problem(line, column, path + (key,), f"duplicate key '{key}'; first given at line {first.line}, column {first.column}; keep one", "duplicate-key")
            key = _Shadow(key)
        else:
            document.keys[path + (key,)] = Position(line, column)
        stack[-1][2] = key

    def attach(self, stack: list, value) -> None:
        container = stack[-1][0]
        if isinstance(container, list):
            container.append(value)
            return
        key = stack[-1][2]
        stack[-1][2] = None
        if not isinstance(key, _Shadow):
            container[key] = value

    def path_of(self, stack: list) -> tuple:
        if not stack:
            return ()
        container, path, key = stack[-1]
        if isinstance(container, list):
            return path + (len(container),)
        return path + (str(key),) if key is not None else path

    def value_of(self, event, line: int, column: int, path: tuple):
        if isinstance(event, yaml.MappingStartEvent):
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            return []
        if event.style not in (None, "") or not event.implicit[0]:
            return event.value
        return self.resolveplain(event.value, line, column, path)

    def resolveplain(self, text: str, line: int, column: int, path: tuple):
        value = plain(text)
        if value is AMBIGUOUS_BOOL:
            self.problem(line, column, path, f"plain value {text} is ambiguous: YAML 1.1 readers turn it into a boolean; write '{text}' in quotes for text, or true/false", "ambiguous-scalar")
        elif value is AMBIGUOUS_NUMBER:
            self.problem(line, column, path, f"plain value {text} is ambiguous: YAML readers may turn it into a different number; write '{text}' in quotes for text, or a plain integer", "ambiguous-scalar")
        else:
            return value
        return text


class _Slow(Exception):
    """The fast path met something only the precise path can judge and explain."""


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_SKIPPED = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)


def _fast(text: str, file: str | os.PathLike) -> Document | None:
    """The data of a well-formed record without positions, or None when the precise path is needed."""
    try:
        return Document(data=_fast_tree(yaml.parse(text, Loader=_Loader)), source=file)
    except (_Slow, yaml.YAMLError):
        return None


def _fast_tree(events) -> dict:
    stack: list = []  # [container, pending key]
    root = None
    documents = 0
    for event in events:
        kind = event.__class__
        if kind is _SCALAR:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                raise _Slow
            if stack and stack[-1][1] is None and type(stack[-1][0]) is dict:
                if event.value in stack[-1][0]:
                    raise _Slow
                stack[-1][1] = event.value
                continue
            value = event.value if (event.style or not event.implicit[0]) else _resolve_fast(event.value)
        elif kind is _MAP_START or kind is _SEQ_START:
            if event.anchor is not None or (event.tag is not None and event.tag != "!") or len(stack) >= MAX_DEPTH:
                raise _Slow
            if stack and stack[-1][1] is None and type(stack[-1][0]) is dict:
                raise _Slow
            value = {} if kind is _MAP_START else []
        elif kind in _ENDS:
            stack.pop()
            continue
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Slow
            continue
        elif kind in _SKIPPED:
            continue
        else:
            raise _Slow
        if stack:
            top = stack[-1]
            if type(top[0]) is list:
                top[0].append(value)
            else:
                top[0][top[1]] = value
                top[1] = None
        else:
            root = value
        if kind is not _SCALAR:
            stack.append([value, None])
    if type(root) is not dict:
        raise _Slow
    return root


def _resolve_fast(text: str):
    value = plain(text)
    if value is AMBIGUOUS_BOOL or value is AMBIGUOUS_NUMBER:
        raise _Slow
    return value


class _Shadow(str):
    """A repeated key: its value is read (to keep positions right) but not kept."""


def _kind(value) -> str:
    return {list: "a list", dict: "a mapping", str: "text", bool: "a boolean", int: "a number"}.get(type(value), "null" if value is None else type(value).__name__)


def _line_column(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1
