"""The release: deterministic, complete, valid for Frictionless, and read alike by every reader."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import edit

from owatlas.cli import main

TABLES = ["companies", "licences", "models", "quotes", "model_developers", "model_licence_changes", "model_weights", "quote_models", "quote_companies", "model_openness", "sources", "retired"]
FIGURES = ("releases-by-quarter", "licence-kinds-by-year", "parameters-over-time", "openness-by-country")


def build(tree: Path, out: str = "build"):
    return CliRunner().invoke(main, ["build", "--out", out], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def release(tree) -> Path:
    result = build(tree)
    assert 0 == result.exit_code, result.output
    return tree / "build"


def test_release_holds_every_table_in_both_formats(release):
    expected = {f"{kind}/{table}.{kind}" for table in TABLES for kind in ("csv", "parquet")} | {"datapackage.json", "SHA256SUMS", "README.md"} | {f"figures/{name}.svg" for name in FIGURES}
    assert expected == set(snapshot(release))


def test_build_reports_row_counts(tree):
    result = build(tree)
    assert "companies: 2 rows\nlicences: 2 rows\nmodels: 2 rows\nquotes: 1 rows\n" in result.stdout
    assert "model_licence_changes: 1 rows\nmodel_weights: 2 rows\n" in result.stdout
    assert "model_openness: 26 rows\n" in result.stdout


def test_same_records_give_byte_identical_files(tree, release):
    first = snapshot(release)
    assert 0 == build(tree, "again").exit_code
    assert first == snapshot(tree / "again")


def test_checksums_cover_every_file_and_match(release):
    listed = {}
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = set(snapshot(release)) - {"SHA256SUMS"}
    assert files == set(listed)
    for name, digest in listed.items():
        assert digest == hashlib.sha256((release / name).read_bytes()).hexdigest(), name


def frictionless(release: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).parent / "frictionless"
    return subprocess.run([str(command), "validate", "--json", "datapackage.json"], cwd=release, capture_output=True, text=True, timeout=120)


def test_frictionless_validates_the_package(release):
    result = frictionless(release)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    assert len(TABLES) == len(report["tasks"])


def test_frictionless_checks_the_foreign_keys(release):
    models = release / "csv" / "models.csv"
    models.write_bytes(models.read_bytes().replace(b'"acme-licence"', b'"no-such-licence"', 1))
    report = json.loads(frictionless(release).stdout)
    errors = [error["type"] for task in report["tasks"] for error in task["errors"]]
    assert not report["valid"]
    assert "foreign-key" in errors


def csv_form(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flatten(row: dict) -> dict:
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update({f"{key}_{child}": csv_form(inner) for child, inner in value.items()})
        else:
            flat[key] = csv_form(value)
    return flat


@pytest.mark.parametrize("table", TABLES)
def test_parquet_readers_agree_with_each_other_and_with_the_csv(release, table):
    parquet = release / "parquet" / f"{table}.parquet"
    arrow_rows = pq.ParquetFile(parquet).read().to_pylist()
    polars_rows = pl.read_parquet(parquet).to_dicts()
    duck = duckdb.connect()
    duck_rows = duck.execute(f"select * from read_parquet('{parquet}')").fetchall()
    with open(release / "csv" / f"{table}.csv", newline="", encoding="utf-8") as stream:
        csv_rows = list(csv.DictReader(stream))

    assert arrow_rows == polars_rows
    assert [tuple(row.values()) for row in arrow_rows] == [tuple(row) for row in duck_rows]
    assert [flatten(row) for row in arrow_rows] == csv_rows
    assert len(arrow_rows) > 0


def test_rows_are_sorted_by_id_and_nested_fields_are_structs(release):
    models = pq.ParquetFile(release / "parquet" / "models.parquet").read()
    assert ["acme-1", "acme-1-mini"] == models.column("id").to_pylist()
    assert {"total": 46700000000, "active": 12900000000, "approximate": True} == models.column("parameters").to_pylist()[0]
    assert ["acme", "acme-labs"] == models.column("developers").to_pylist()[0]


def test_text_with_quotes_commas_and_newlines_round_trips_through_csv(release):
    with open(release / "csv" / "models.csv", newline="", encoding="utf-8") as stream:
        notes = {row["id"]: row["notes"] for row in csv.DictReader(stream)}
    assert 'Line one, with a comma and "quotes".\nLine two.' == notes["acme-1"]


def test_csv_uses_crlf_line_endings(release):
    data = (release / "csv" / "model_developers.csv").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 1


def test_link_and_sources_tables(release):
    developers = pq.ParquetFile(release / "parquet" / "model_developers.parquet").read().to_pylist()
    assert {"model_id": "acme-1", "company_id": "acme-labs", "position": 2} in developers
    sources = pq.ParquetFile(release / "parquet" / "sources.parquet").read().to_pylist()
    fields = {row["field"] for row in sources if row["record_id"] == "jane-open-weights"}
    assert {"text", "speaker", "said"} == fields


def test_a_failed_build_leaves_the_previous_release_untouched(tree, release):
    before = snapshot(release)
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    result = build(tree)
    assert 1 == result.exit_code
    assert before == snapshot(release)
    assert [] == [p.name for p in tree.iterdir() if p.name.startswith(".build")]


def test_a_rebuild_replaces_the_release_whole(tree, release):
    stale = release / "csv" / "stale.csv"
    stale.write_text("left over")
    assert 0 == build(tree).exit_code
    assert not stale.exists()


def test_dataset_card_loads_every_table_with_hugging_face_datasets(release, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    from datasets import load_dataset

    from owatlas.card import config_files
    configs = config_files((release / "README.md").read_text(encoding="utf-8"))
    assert set(TABLES) == set(configs)
    for name, data_file in configs.items():
        dataset = load_dataset(str(release), name, split="train", cache_dir=str(tmp_path / "hf"))
        expected = pq.ParquetFile(release / data_file).read()
        assert expected.num_rows == dataset.num_rows, name
        assert expected.column_names == dataset.column_names, name
