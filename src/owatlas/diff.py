"""Compare two releases: records added, removed, retired and changed, per table, field by field."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .dates import as_written
from .derived import model_columns
from .schema import TABLES

EMPTY = "empty"


class ReleaseReadError(Exception):
    """A path that is not a release folder or zip."""


@dataclass
class Release:
    """The record tables of one release, keyed by id, with each record's source URLs."""

    version: str | None
    tables: dict[str, dict[str, dict]]
    retired: dict[str, dict[str, dict]]


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, object, object]]] = field(default_factory=dict)
    total: int = 0

    def empty(self) -> bool:
        return not (self.added or self.removed or self.retired or self.changed)


@dataclass
class ReleaseDiff:
    old: Release
    new: Release
    tables: dict[str, TableDiff]


def read_release(location: str | Path) -> Release:
    """A release from a build folder, a release zip, or the word 'empty'."""
    if str(location) == EMPTY:
        return Release(None, {table: {} for table in TABLES}, {table: {} for table in TABLES})
    location = Path(location)
    if location.is_dir():
        return _release(lambda name: (location / name).read_bytes() if (location / name).is_file() else None, str(location))
    if zipfile.is_zipfile(location):
        with zipfile.ZipFile(location) as archive:
            members = {name.split("/", 1)[-1]: name for name in archive.namelist() if "/" in name}
            return _release(lambda name: archive.read(members[name]) if name in members else None, str(location))
    raise ReleaseReadError(f"{location} is not a release: expected a build folder, a release zip, or '{EMPTY}'")


def _release(read, where: str) -> Release:
    import pyarrow as pa
    import pyarrow.parquet as pq

    descriptor = read("datapackage.json")
    if descriptor is None:
        raise ReleaseReadError(f"{where} is not a release: it has no datapackage.json")

    def rows(table: str) -> list[dict]:
        data = read(f"parquet/{table}.parquet")
        return [as_written(row) for row in pq.ParquetFile(pa.BufferReader(data)).read().to_pylist()] if data else []

    sources: dict[tuple[str, str], set[str]] = {}
    for row in rows("sources"):
        sources.setdefault((row["table"], row["record_id"]), set()).add(row["url"])
    tables = {}
    for table in TABLES:
        tables[table] = {row["id"]: _flatten(_without(row, DERIVED)) | {"sources": sorted(sources.get((table, row["id"]), ()))} for row in rows(table)}
    for row in rows("model_weights"):  # releases before data model 2 held these as models.weights
        tables["models"][row["model_id"]].setdefault("weights", []).append(row["repository"])
    for row in rows("evaluations"):
        result = f"{row['benchmark']} {row['score_text']} ({row['setting']}; {row['reporter']})"
        tables["models"][row["model_id"]].setdefault("evaluations", []).append(result)
    for row in rows("model_licence_changes"):
        change = f"{row['date']}: {row['from_licence']} -> {row['to_licence']}"
        tables["models"][row["model_id"]].setdefault("licence_changes", []).append(change)
    retired = {table: {} for table in TABLES}
    for row in rows("retired"):
        retired[row["table"]][row["id"]] = row
    return Release(json.loads(descriptor).get("version"), tables, retired)


DERIVED = frozenset(column.name for column in model_columns())  # follow from other fields


def _without(row: dict, names: frozenset) -> dict:
    return {key: value for key, value in row.items() if key not in names}


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def compare(old: Release, new: Release) -> ReleaseDiff:
    tables = {}
    for table in TABLES:
        before, after = old.tables[table], new.tables[table]
        result = TableDiff(total=len(after))
        result.added = sorted(set(after) - set(before))
        gone = sorted(set(before) - set(after))
        result.retired = [record_id for record_id in gone if record_id in new.retired[table]]
        result.removed = [record_id for record_id in gone if record_id not in new.retired[table]]
        for record_id in sorted(set(before) & set(after)):
            fields = [(name, before[record_id].get(name), after[record_id].get(name)) for name in after[record_id] if before[record_id].get(name) != after[record_id].get(name)]
            if fields:
                result.changed[record_id] = fields
        tables[table] = result
    return ReleaseDiff(old, new, tables)


def _value(value) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


LONG_TEXT = 80  # characters: longer text (notes, say) is summarised, not printed twice


def _change(old, new, arrow: str = "->") -> str:
    """A field's change, short enough to read: lists by what came and went, long text by its size."""
    if isinstance(old, list) or isinstance(new, list):
        before, after = old or [], new or []
        added = [item for item in after if item not in before]
        removed = [item for item in before if item not in after]
        parts = [f"+{_value(item)}" for item in added] + [f"-{_value(item)}" for item in removed]
        return " ".join(parts) if parts else "reordered"
    if any(isinstance(value, str) and len(value) > LONG_TEXT for value in (old, new)):
        size = lambda value: "null" if value is None else f"{len(value)} characters"  # noqa: E731
        return f"rewritten ({size(old)} {arrow} {size(new)})"
    return f"{_value(old)} {arrow} {_value(new)}"


def _title(release: Release) -> str:
    return release.version or "an empty release"


def render_text(diff: ReleaseDiff) -> str:
    lines = [f"Changes from {_title(diff.old)} to {_title(diff.new)}"]
    for table, result in diff.tables.items():
        lines.append(f"\n{table}: {len(result.added)} added, {len(result.changed)} changed, {len(result.removed)} removed, {len(result.retired)} retired ({result.total} in all)")
        lines += [f"  + {record_id}" for record_id in result.added]
        lines += [f"  - {record_id}" for record_id in result.removed]
        lines += [f"  x {record_id} (retired: {diff.new.retired[table][record_id]['reason']})" for record_id in result.retired]
        for record_id, fields in result.changed.items():
            lines.append(f"  ~ {record_id}")
            lines += [f"      {name}: {_change(old, new)}" for name, old, new in fields]
    return "\n".join(lines) + "\n"


def render_markdown(diff: ReleaseDiff) -> str:
    lines = [f"## Open Weight Atlas {_title(diff.new)}", ""]
    lines.append(f"Compared with {_title(diff.old)}." if diff.old.version else "First release: every record is new.")
    lines += ["", "| table | added | changed | removed | retired | records |", "|---|---|---|---|---|---|"]
    for table, result in diff.tables.items():
        lines.append(f"| {table} | {len(result.added)} | {len(result.changed)} | {len(result.removed)} | {len(result.retired)} | {result.total} |")
    for table, result in diff.tables.items():
        if result.empty():
            continue
        lines += ["", f"### {table}"]
        names = diff.new.tables[table]
        if result.added:
            lines += ["", f"Added ({len(result.added)}):", ""] + [f"- `{record_id}` — {names[record_id].get('name') or names[record_id].get('text', '')}" for record_id in result.added]
        if result.changed:
            lines += ["", f"Changed ({len(result.changed)}):", ""]
            for record_id, fields in result.changed.items():
                lines.append(f"- `{record_id}`: " + "; ".join(f"`{name}` {_change(old, new, '→')}" for name, old, new in fields))
        if result.removed:
            lines += ["", f"Removed ({len(result.removed)}):", ""] + [f"- `{record_id}`" for record_id in result.removed]
        if result.retired:
            lines += ["", f"Retired ({len(result.retired)}):", ""] + [f"- `{record_id}`: {diff.new.retired[table][record_id]['reason']}" for record_id in result.retired]
    return "\n".join(lines) + "\n"


def render_json(diff: ReleaseDiff) -> str:
    data = {
        "old": diff.old.version,
        "new": diff.new.version,
        "tables": {
            table: {
                "added": result.added,
                "removed": result.removed,
                "retired": result.retired,
                "changed": {record_id: [{"field": name, "old": old, "new": new} for name, old, new in fields] for record_id, fields in result.changed.items()},
                "total": result.total,
            }
            for table, result in diff.tables.items()
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
