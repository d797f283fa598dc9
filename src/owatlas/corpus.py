"""Find the record files of a checkout, read them and validate each against its schema."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from .fields import Walk, submodel, walk
from .problems import Problem, field_name
from .reader import Document, read_record
from .schema import TABLES, Retirement, Retirements

RECORDS = "records"
SUFFIX = ".yaml"
RETIRED = "retired.yaml"
MODELS: dict[str, type[BaseModel]] = TABLES | {"retired": Retirements}


@dataclass
class Entry:
    """One record file: where it is, what it holds, and how to point at one of its fields."""

    table: str
    path: str
    id: str
    document: Document | None = None
    record: BaseModel | None = None

    @cached_property
    def walk(self) -> Walk:
        """The record's filled fields, dates, lists and references, found once for all the rules."""
        return walk(self.record)

    @property
    def filled(self) -> list[tuple[tuple[str, ...], bool]]:
        return self.walk.filled

    def problem(self, loc: tuple, message: str, code: str, *, at_key: bool = False) -> Problem:
        if self.document is None:
            line, column = 1, 1
        else:
            position = self.document.key_position(loc) if at_key else self.document.position(loc)
            line, column = position.line, position.column
        return Problem(self.path, line, column, self.id, field_name(loc), message, code)


class Key(NamedTuple):
    """What the rules that compare records need of each valid record: small enough to send between processes."""

    table: str
    path: str
    id: str
    record_id: str
    link: str | None  # the record it builds on (models) or belongs to (companies)
    scores: tuple = ()  # models: (index, benchmark, score) of each evaluation; benchmarks: (scale_min, scale_max)


@dataclass
class Corpus:
    """The ids of every record file in the tree, and what reading the chosen files gave."""

    root: Path
    ids: dict[str, set[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    retired: dict[str, dict[str, Retirement]] = field(default_factory=dict)
    retirements: Entry | None = None
    keys: list[Key] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)  # valid records, when they were asked for
    tables: list[dict[str, Any]] = field(default_factory=list)  # Arrow tables, one dict per chunk read

    def records(self, table: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.table == table]

    def entry(self, key: Key) -> Entry:
        """The entry of a record known by its key, for pointing at one of its fields."""
        return Entry(key.table, key.path, key.id, Document(data={}, source=os.path.join(self.root, key.path)))


def survey(root: Path, files: list[Path] | None = None) -> tuple[Corpus, list[str]]:
    """The tree's ids and retirements, and the files to read (`records/<table>/<id>.yaml`): every record, or just `files`.

    Files come in table order, then by id, which is the order of the release's rows.
    """
    root = root.resolve()
    corpus = Corpus(root=root)
    ids = {table: sorted(name.removesuffix(SUFFIX) for name in names) for table, names in _listing(root, corpus).items()}
    corpus.ids = {table: set(found) for table, found in ids.items()}
    if files is not None:
        given = _chosen(root, files, corpus)
        ids = {table: sorted({name for owner, name in given if owner == table}) for table in TABLES}
    _read_retirements(root, corpus)
    return corpus, [f"{RECORDS}/{table}/{name}{SUFFIX}" for table in TABLES for name in ids[table]]


def _read_retirements(root: Path, corpus: Corpus) -> None:
    corpus.retired = {table: {} for table in TABLES}
    if not (root / RECORDS / RETIRED).is_file():
        return
    entry, problems = read(root, f"{RECORDS}/{RETIRED}", table="retired")
    corpus.problems.extend(problems)
    corpus.retirements = entry
    if entry.record is not None:
        corpus.retired = {table: {item.id: item for item in getattr(entry.record, table)} for table in TABLES}


def _listing(root: Path, corpus: Corpus) -> dict[str, list[str]]:
    """The record file names of each table (ids are file names, so this is every id, unread)."""
    folder = root / RECORDS
    listing: dict[str, list[str]] = {table: [] for table in TABLES}
    if not folder.is_dir():
        corpus.problems.append(Problem(RECORDS, 1, 1, "-", "", f"no {RECORDS}/ folder here; run owatlas at the root of a checkout", "no-records"))
        return listing
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.name == RETIRED and child.is_file():
            continue
        if child.is_symlink():
            corpus.problems.append(Problem(_relative(root, child), 1, 1, "-", "", "record folders must be real folders, not symbolic links; the link was not followed", "not-a-file"))
            continue
        if child.name not in TABLES or not child.is_dir():
            expected = ", ".join(f"{RECORDS}/{table}/" for table in TABLES)
            corpus.problems.append(Problem(_relative(root, child), 1, 1, "-", "", f"unexpected entry; expected only the folders {expected} and {RECORDS}/{RETIRED}", "unknown-table"))
            continue
        # scandir knows each entry's type from the directory itself: no stat per file.
        names = listing[child.name]
        with os.scandir(child) as entries:
            for item in entries:
                name = item.name
                if name.endswith(SUFFIX) and name[0] != "." and item.is_file(follow_symlinks=False):
                    names.append(name)  # the common case first: one check per file
                    continue
                if name.startswith("."):
                    continue
                if item.is_symlink():
                    path = child / item.name
                    corpus.problems.append(Problem(_relative(root, path), 1, 1, path.stem, "", "record files must be regular files, not symbolic links; the link was not followed", "not-a-file"))
                else:
                    path = child / item.name
                    corpus.problems.append(Problem(_relative(root, path), 1, 1, path.stem, "", f"unexpected entry; expected record files named <id>{SUFFIX}", "not-a-record-file"))
    return listing


def _chosen(root: Path, files: list[Path], corpus: Corpus) -> list[tuple[str, str]]:
    chosen = []
    for file in files:
        path = (Path.cwd() / file).absolute()
        relative = _relative(root, path)
        parts = Path(relative).parts
        if len(parts) != 3 or parts[0] != RECORDS or parts[1] not in TABLES or path.suffix != SUFFIX:
            corpus.problems.append(Problem(relative, 1, 1, path.stem, "", f"not a record file; expected {RECORDS}/<table>/<id>{SUFFIX} with a table among {', '.join(TABLES)}", "not-a-record-file"))
        elif not path.is_file():
            corpus.problems.append(Problem(relative, 1, 1, path.stem, "", "no such record file", "not-a-record-file"))
        else:
            chosen.append((parts[1], path.name.removesuffix(SUFFIX)))
    return chosen


def read(root: Path, relative: str, table: str | None = None) -> tuple[Entry, list[Problem]]:
    """One record file (`relative` to the root, with forward slashes), read and checked against its table's schema."""
    folder, _, name = relative.rpartition("/")
    entry = Entry(table=table or folder.rpartition("/")[2], path=relative, id=name.removesuffix(SUFFIX))
    result = read_record(os.path.join(root, relative), entry.path, entry.id)
    problems = list(result.problems)
    entry.document = result.document
    if result.document is not None:
        try:
            entry.record = MODELS[entry.table].model_validate(result.document.data)
            result.document.data = {}  # the record holds the data now; positions stay findable
        except ValidationError as error:
            problems.extend(schema_problems(entry, error))
    return entry, problems


def schema_problems(entry: Entry, error: ValidationError) -> list[Problem]:
    return [_schema_problem(entry, detail) for detail in error.errors(include_url=False)]


_KINDS = {
    "int_type": "an integer",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
}


def _schema_problem(entry: Entry, detail: dict) -> Problem:
    loc, kind, found = tuple(detail["loc"]), detail["type"], detail.get("input")
    context = detail.get("ctx") or {}
    if kind == "missing":
        return entry.problem(loc, "required field is missing", "missing-field")
    if kind == "extra_forbidden":
        return entry.problem(loc, _unknown_field(entry, loc), "unknown-field", at_key=True)
    if found is None and "input" in detail and (kind in _KINDS or kind == "literal_error"):
        expected = _KINDS.get(kind) or f"one of {context.get('expected')}"
        return entry.problem(loc, f"a value is required here: expected {expected}; found null", "missing-value")
    if kind == "literal_error":
        return entry.problem(loc, f"expected one of {context.get('expected')}; found {describe(found)}", "invalid-value")
    if kind in _KINDS:
        return entry.problem(loc, f"expected {_KINDS[kind]}; found {describe(found)}", "wrong-type")
    if kind == "too_short":
        return entry.problem(loc, f"expected at least {context.get('min_length')} item(s); found {context.get('actual_length')}", "too-short")
    if kind == "greater_than":
        return entry.problem(loc, f"expected a number greater than {context.get('gt')}; found {describe(found)}", "out-of-range")
    if "-" in kind:  # the atlas's own checks (values.py) name their codes with hyphens
        return entry.problem(loc, detail["msg"], kind)
    return entry.problem(loc, f"{detail['msg']}; found {describe(found)}", "invalid-value")


def _unknown_field(entry: Entry, loc: tuple) -> str:
    model: type[BaseModel] = MODELS[entry.table]
    for part in loc[:-1]:
        if isinstance(part, str):
            model = submodel(model.model_fields[part].annotation) or model
    allowed = list(model.model_fields)
    guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    return f"unknown field '{loc[-1]}'; expected one of: {', '.join(allowed)}{hint}"


def describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
