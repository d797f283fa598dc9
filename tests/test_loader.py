"""The loader: bundled release, and other releases fetched from a real HTTP server on loopback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import owatlas
from owatlas import loader
from owatlas.cli import main

from conftest import ReleaseServer

VERSION = "2026.1.0"


@pytest.fixture
def release(tree) -> Path:
    result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert 0 == result.exit_code, result.output
    return tree / "build"


@pytest.fixture
def server(release, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(release, served / VERSION)
    running = ReleaseServer(served)
    yield running
    running.close()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OWATLAS_CACHE", str(folder))
    monkeypatch.delenv("OWATLAS_BASE_URL", raising=False)
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_fetches_a_release_verifies_and_caches_it(server, release, cache):
    table = owatlas.load("models", version=VERSION, base_url=server.url, format="arrow")
    assert pq.ParquetFile(release / "parquet" / "models.parquet").read().equals(table)
    assert ["SHA256SUMS", "parquet/models.parquet"] == files_in(cache / VERSION)
    assert [f"/{VERSION}/SHA256SUMS", f"/{VERSION}/parquet/models.parquet"] == server.requests


def test_base_url_comes_from_the_environment(server, cache, monkeypatch):
    monkeypatch.setenv("OWATLAS_BASE_URL", server.url)
    assert 2 == len(owatlas.load("models", version=VERSION))


def test_a_good_cache_is_used_without_any_request(server, cache):
    owatlas.load("models", version=VERSION, base_url=server.url)
    server.requests.clear()
    server.close()
    frame = owatlas.load("models", version=VERSION, base_url=server.url)
    assert ["acme-1", "acme-1-mini"] == list(frame["id"])
    assert [] == server.requests
    assert VERSION in owatlas.versions()


def test_a_corrupted_file_is_refused_and_not_cached(server, release, cache):
    good = (release / "parquet" / "models.parquet").read_bytes()
    server.tamper[f"/{VERSION}/parquet/models.parquet"] = good[:-10] + b"0123456789"
    with pytest.raises(owatlas.LoadError, match="checksum mismatch for parquet/models.parquet"):
        owatlas.load("models", version=VERSION, base_url=server.url)
    assert ["SHA256SUMS"] == files_in(cache / VERSION)


def test_a_truncated_file_is_refused_and_not_cached(server, release, cache):
    good = (release / "parquet" / "models.parquet").read_bytes()
    server.tamper[f"/{VERSION}/parquet/models.parquet"] = good[: len(good) // 2]
    with pytest.raises(owatlas.LoadError, match="checksum mismatch"):
        owatlas.load("models", version=VERSION, base_url=server.url)
    assert ["SHA256SUMS"] == files_in(cache / VERSION)


def test_a_download_cut_short_is_refused_and_not_cached(server, cache):
    server.cut.add(f"/{VERSION}/parquet/models.parquet")
    with pytest.raises(owatlas.LoadError, match="download of parquet/models.parquet .* failed"):
        owatlas.load("models", version=VERSION, base_url=server.url)
    assert ["SHA256SUMS"] == files_in(cache / VERSION)


def test_an_unknown_version_gives_a_clear_error(server, cache):
    with pytest.raises(owatlas.LoadError, match=r"release '1999.1.0' not found: .*/1999.1.0/SHA256SUMS answered 404"):
        owatlas.load("models", version="1999.1.0", base_url=server.url)
    assert [] == files_in(cache)


def test_an_unreachable_server_says_how_to_work_offline(cache):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(owatlas.LoadError) as error:
        owatlas.load("models", version=VERSION, base_url=url)
    assert f"could not reach {url}/{VERSION}/" in str(error.value)
    assert "to work offline, use the bundled release (version=None)" in str(error.value)


def test_two_processes_loading_one_version_both_succeed_and_leave_one_good_copy(server, release, cache):
    code = f"import owatlas; print(len(owatlas.load('sources', version='{VERSION}', base_url='{server.url}', format='arrow')))"
    environment = os.environ | {"OWATLAS_CACHE": str(cache)}
    processes = [subprocess.Popen([sys.executable, "-c", code], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [process.communicate(timeout=120) for process in processes]
    assert [0, 0] == [process.returncode for process in processes], results
    assert results[0][0] == results[1][0]
    assert ["SHA256SUMS", "parquet/sources.parquet"] == files_in(cache / VERSION)
    expected = hashlib.sha256((release / "parquet" / "sources.parquet").read_bytes()).hexdigest()
    assert expected == hashlib.sha256((cache / VERSION / "parquet" / "sources.parquet").read_bytes()).hexdigest()


def test_formats(server, cache):
    pandas_frame = owatlas.load("models", version=VERSION, base_url=server.url)
    polars_frame = owatlas.load("models", version=VERSION, base_url=server.url, format="polars")
    assert "DataFrame" == type(pandas_frame).__name__ == type(polars_frame).__name__
    assert list(pandas_frame["id"]) == polars_frame["id"].to_list()


def test_path_gives_the_csv_too(server, cache):
    csv = owatlas.path("licences", version=VERSION, base_url=server.url, kind="csv")
    assert csv.read_text(encoding="utf-8").startswith('"id","name"')


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"table": "model"}, "unknown table 'model'; expected one of: companies, licences, models"),
        ({"table": "models", "format": "excel"}, "unknown format 'excel'; expected one of: pandas, arrow, polars"),
    ],
)
def test_bad_arguments_name_the_valid_choices(arguments, message):
    table = arguments.pop("table")
    with pytest.raises(owatlas.LoadError) as error:
        owatlas.load(table, **arguments)
    assert str(error.value).startswith(message)


def test_unknown_kind_names_the_valid_choices():
    with pytest.raises(owatlas.LoadError, match="unknown kind 'xlsx'; expected one of: parquet, csv"):
        owatlas.path("models", kind="xlsx")


def test_bundled_release_loads_without_network(release, monkeypatch):
    monkeypatch.setattr(loader, "bundled_release", lambda: release)
    monkeypatch.setenv("OWATLAS_BASE_URL", "http://127.0.0.1:9")
    for table in owatlas.tables():
        assert owatlas.load(table, format="arrow").num_rows > 0, table


def test_import_is_light():
    code = "import sys, owatlas; print(sorted(m for m in ('pandas', 'pyarrow', 'polars', 'pooch', 'requests', 'pydantic') if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[]\n" == output


def test_public_api_is_sorted_and_complete():
    assert sorted(owatlas.__all__) == owatlas.__all__
    assert ["LoadError", "__data_version__", "__version__", "load", "path", "tables", "versions"] == owatlas.__all__


def test_load_docstring_is_the_data_dictionary():
    package = json.loads((Path(__file__).parents[1] / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert f"\n{resource['name']}: " in owatlas.load.__doc__
        for field in resource["schema"]["fields"]:
            assert f"    {field['name']} ({field['type']}): {field['description']}" in owatlas.load.__doc__


def test_cli_tables_and_path(release, monkeypatch):
    monkeypatch.setattr(loader, "bundled_release", lambda: release)
    tables = CliRunner().invoke(main, ["tables"]).stdout.split()
    assert owatlas.tables() == tables
    result = CliRunner().invoke(main, ["path", "models", "--kind", "csv"])
    assert str(release / "csv" / "models.csv") + "\n" == result.stdout


def test_fetches_from_a_flat_release_page_as_owatlas_release_uploads_it(tree, tmp_path, cache):
    assert 0 == CliRunner().invoke(main, ["release", "--out", "assets", "--no-record"]).exit_code
    upload = tree / "assets" / "upload"
    assert 0 == subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=upload).returncode
    served = tmp_path / "page"
    shutil.copytree(upload, served / VERSION)
    page = ReleaseServer(served)
    try:
        table = owatlas.load("models", version=VERSION, base_url=page.url, format="arrow")
        csv = owatlas.path("models", version=VERSION, base_url=page.url, kind="csv")
    finally:
        page.close()
    assert pq.ParquetFile(upload / "models.parquet").read().equals(table)
    assert (upload / "models.csv").read_bytes() == csv.read_bytes()
