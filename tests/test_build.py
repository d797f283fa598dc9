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
from owatlas.schema import GRADED

TABLES = ["companies", "licences", "models", "quotes", "benchmarks", "model_developers", "model_licence_changes", "model_weights", "evaluations", "quote_models", "quote_companies", "model_openness", "sources", "retired"]
FIGURES = ("releases-by-quarter", "licence-kinds-by-year", "parameters-over-time", "openness-by-country", "frontier-acme-bench")


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


def test_dates_are_typed_with_their_precision_and_text(release):
    models = {row["id"]: row for row in pq.ParquetFile(release / "parquet" / "models.parquet").read().to_pylist()}
    import datetime as dt

    assert (dt.date(2024, 1, 2), "day", "2024-01-02") == (models["acme-1"]["released"], models["acme-1"]["released_precision"], models["acme-1"]["released_text"])
    assert (dt.date(2024, 1, 1), "year", "2024") == (models["acme-1-mini"]["released"], models["acme-1-mini"]["released_precision"], models["acme-1-mini"]["released_text"])
    assert (dt.date(2023, 12, 12), "day") == (models["acme-1"]["announced"], models["acme-1"]["announced_precision"])
    assert (None, None, None) == (models["acme-1-mini"]["announced"], models["acme-1-mini"]["announced_precision"], models["acme-1-mini"]["announced_text"])
    quotes = pq.ParquetFile(release / "parquet" / "quotes.parquet").read().to_pylist()
    assert (dt.date(2024, 2, 1), "month", "2024-02") == (quotes[0]["said"], quotes[0]["said_precision"], quotes[0]["said_text"])
    sources = pq.read_table(release / "parquet" / "sources.parquet")
    assert "date32[day]" == str(sources.schema.field("accessed").type) == str(sources.schema.field("published").type)


def test_every_reader_sees_the_date_columns_as_dates(release, tmp_path, monkeypatch):
    parquet = release / "parquet" / "models.parquet"
    assert pl.Date == pl.read_parquet(parquet).schema["released"]
    assert "DATE" == duckdb.connect().execute(f"select typeof(released) from read_parquet('{parquet}') limit 1").fetchone()[0]
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    from datasets import load_dataset

    dataset = load_dataset("parquet", data_files=str(parquet), split="train", cache_dir=str(tmp_path / "hf"))
    assert "date32" == dataset.features["released"].dtype
    package = json.loads((release / "datapackage.json").read_text())
    fields = {field["name"]: field for resource in package["resources"] if resource["name"] == "models" for field in resource["schema"]["fields"]}
    assert ("date", "string", "string") == (fields["released"]["type"], fields["released_precision"]["type"], fields["released_text"]["type"])
    assert ["year", "month", "day"] == fields["released_precision"]["constraints"]["enum"]
    assert "number" == fields["training_compute_flop"]["type"]


def test_licence_changes_and_weights_variants_have_tables_with_keys(release):
    changes = pq.ParquetFile(release / "parquet" / "model_licence_changes.parquet").read().to_pylist()
    import datetime as dt

    assert [{"model_id": "acme-1", "position": 1, "date": dt.date(2024, 6, 1), "date_precision": "month", "date_text": "2024-06", "from_licence": "acme-research-licence", "to_licence": "acme-licence", "source": "https://example.org/acme-1"}] == changes
    weights = pq.ParquetFile(release / "parquet" / "model_weights.parquet").read().to_pylist()
    assert [("acme/acme-1", "base", None, "acme-licence"), ("https://acme.example/weights/acme-1.tar", "instruct", "acme-research-licence", "acme-research-licence")] == [
        (row["repository"], row["variant"], row["licence"], row["licence_in_force"]) for row in weights
    ]
    package = json.loads((release / "datapackage.json").read_text())
    keys = {resource["name"]: {fk["fields"][0]: fk["reference"]["resource"] for fk in resource["schema"].get("foreignKeys", [])} for resource in package["resources"]}
    assert {"model_id": "models", "from_licence": "licences", "to_licence": "licences"} == keys["model_licence_changes"]
    assert {"model_id": "models", "licence": "licences", "licence_in_force": "licences"} == keys["model_weights"]
    assert {"model_id": "models"} == keys["model_openness"]


def test_frictionless_checks_the_keys_of_the_new_tables(release):
    weights = release / "csv" / "model_weights.csv"
    weights.write_bytes(weights.read_bytes().replace(b'"acme-research-licence"', b'"no-such-licence"'))
    report = json.loads(frictionless(release).stdout)
    failing = {task["name"] for task in report["tasks"] if not task["valid"]}
    assert {"model_weights"} == failing


def test_licence_at_release_openness_grades_and_score(release):
    models = {row["id"]: row for row in pq.ParquetFile(release / "parquet" / "models.parquet").read().to_pylist()}
    assert ("acme-research-licence", "acme-licence") == (models["acme-1"]["licence_at_release"], models["acme-1-mini"]["licence_at_release"])
    openness = pq.ParquetFile(release / "parquet" / "model_openness.parquet").read().to_pylist()
    grades = {row["component"]: row["grade"] for row in openness if row["model_id"] == "acme-1"}
    assert 13 == len(grades)
    assert ("open", "partial", "closed", "unknown", "partial") == (grades["base_weights"], grades["training_data"], grades["training_code"], grades["evaluation_code"], grades["licence"])
    # acme-1 grades 8 of 13 components: no score; counted all the same.
    assert (8, None) == (models["acme-1"]["openness_graded"], models["acme-1"]["openness_score"])
    assert (1, None) == (models["acme-1-mini"]["openness_graded"], models["acme-1-mini"]["openness_score"])


def test_a_fully_graded_model_gets_its_score(tree):
    grades = "\n".join(f"  {name}: {grade}" for name, grade in zip(GRADED, ["open"] * 6 + ["partial"] * 3 + ["closed"] * 3, strict=True))
    edit(tree, "models/acme-1-mini.yaml", "base_model: acme-1\n", f"base_model: acme-1\nopenness:\n{grades}\n")
    edit(tree, "models/acme-1-mini.yaml", "access, base_model]", "access, base_model, openness]")
    assert 0 == build(tree).exit_code
    models = {row["id"]: row for row in pq.ParquetFile(tree / "build" / "parquet" / "models.parquet").read().to_pylist()}
    # 6 open (12 points) + 3 partial (3) + 3 closed + licence partial (1) = 16 of 26 points: 61.5 -> 62
    assert (13, 62) == (models["acme-1-mini"]["openness_graded"], models["acme-1-mini"]["openness_score"])


def test_licences_say_whether_every_term_was_read(tree):
    edit(tree, "licences/acme-licence.yaml", "excluded_territories: [EU]\n", "excluded_territories: [EU]\nabsent_terms: [monthly_revenue_threshold_usd]\n")
    edit(tree, "licences/acme-licence.yaml", "restricts_output_training, excluded_territories]", "restricts_output_training, excluded_territories, absent_terms]")
    assert 0 == build(tree).exit_code
    licences = {row["id"]: row for row in pq.ParquetFile(tree / "build" / "parquet" / "licences.parquet").read().to_pylist()}
    assert (True, ["monthly_revenue_threshold_usd"]) == (licences["acme-licence"]["terms_read"], licences["acme-licence"]["absent_terms"])
    # restricts_output_training and the thresholds were never settled
    assert (False, []) == (licences["acme-research-licence"]["terms_read"], licences["acme-research-licence"]["absent_terms"])
