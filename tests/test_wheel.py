"""The wheel carries the release built from records/, and loads every table offline from anywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from conftest import ROOT

LOAD_EVERY_TABLE = """
import owatlas
for table in owatlas.tables():
    frame = owatlas.load(table)
    print(table, len(frame))
print("version", owatlas.__data_version__, owatlas.versions())
"""


def source_copy(destination: Path) -> Path:
    """The checkout's files as a fresh clone would have them (tracked and not ignored)."""
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in listing.stdout.splitlines():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    return destination


def test_wheel_installs_in_a_fresh_environment_and_loads_every_table_offline(tmp_path):
    source = source_copy(tmp_path / "source")
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)], check=True, timeout=600)
    wheel = next(dist.glob("open_weight_atlas-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"owatlas/release/datapackage.json", "owatlas/release/SHA256SUMS", "owatlas/release/parquet/models.parquet"} <= names

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    offline = {"OWATLAS_BASE_URL": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin"}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run([str(python), "-c", LOAD_EVERY_TABLE], cwd=outside, env=offline, capture_output=True, text=True, timeout=300)
    assert 0 == result.returncode, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    for table in ("companies", "licences", "models", "quotes", "model_developers", "sources"):
        assert int(lines[table]) > 0, table
    assert lines["version"].startswith("2026.")
