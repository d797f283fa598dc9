"""Export a release to one SQLite database, with keys, full-text search and datasette metadata."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .explorer import ExplorerError

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "array": "TEXT", "date": "TEXT"}
SEARCH = {"quotes": ("text", "speaker_name"), "models": ("name", "family")}


def export_sqlite(release: Path, database: Path) -> dict[str, int]:
    """Write every table of the release at `release` into a new SQLite file; return row counts."""
    import pyarrow.csv as csv

    descriptor_path = release / "datapackage.json"
    if not descriptor_path.is_file():
        raise ExplorerError(f"no release at {release}: run `owatlas build` first")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    temporary = database.with_name(f".{database.name}.tmp")
    temporary.unlink(missing_ok=True)
    counts = {}
    with sqlite3.connect(temporary) as connection:
        for resource in descriptor["resources"]:
            schema = resource["schema"]
            connection.execute(_create_table(resource["name"], schema))
            table = csv.read_csv(
                release / resource["path"],
                parse_options=csv.ParseOptions(newlines_in_values=True),
                convert_options=csv.ConvertOptions(column_types={field["name"]: _arrow_type(field) for field in schema["fields"]}, strings_can_be_null=True),
            )
            rows = [tuple(_sql_value(value) for value in row.values()) for row in table.to_pylist()]
            marks = ", ".join("?" for _ in schema["fields"])
            connection.executemany(f'INSERT INTO "{resource["name"]}" VALUES ({marks})', rows)
            counts[resource["name"]] = len(rows)
        for name, columns in SEARCH.items():
            _full_text_search(connection, name, columns)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ExplorerError(f"foreign keys do not hold in the export: {problems[:5]}")
    connection.close()
    temporary.replace(database)
    metadata = database.with_name("metadata.json")
    metadata.write_text(json.dumps(datasette_metadata(descriptor, database.stem), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts


def _create_table(name: str, schema: dict) -> str:
    columns = [f'"{field["name"]}" {SQL_TYPES[field["type"]]}{" NOT NULL" if field.get("constraints", {}).get("required") else ""}' for field in schema["fields"]]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{key}"' for key in schema["primaryKey"]) + ")")
    for key in schema.get("foreignKeys", []):
        target = key["reference"]["resource"] or name
        columns.append(f'FOREIGN KEY ("{key["fields"][0]}") REFERENCES "{target}" ("{key["reference"]["fields"][0]}")')
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def _full_text_search(connection: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    listed = ", ".join(columns)
    connection.execute(f'CREATE VIRTUAL TABLE "{table}_fts" USING fts5({listed}, content="{table}")')
    connection.execute(f'INSERT INTO "{table}_fts" (rowid, {listed}) SELECT rowid, {listed} FROM "{table}"')


def _arrow_type(field: dict):
    import pyarrow as pa

    return {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(field["type"], pa.string())


def _sql_value(value):
    return int(value) if isinstance(value, bool) else value


def datasette_metadata(descriptor: dict, database: str) -> dict:
    licence = descriptor["licenses"][0]
    tables = {}
    for resource in descriptor["resources"]:
        entry = {"description": resource.get("description", ""), "columns": {f["name"]: f.get("description", "") for f in resource["schema"]["fields"]}}
        if resource["name"] in SEARCH:
            entry["fts_table"] = f"{resource['name']}_fts"
        tables[resource["name"]] = entry
    return {
        "title": f"{descriptor['title']} {descriptor['version']}",
        "description": descriptor["description"],
        "license": licence["name"],
        "license_url": licence["path"],
        "source": "Open Weight Atlas (every record cites its sources; see the sources table)",
        "databases": {database: {"tables": tables}},
    }
