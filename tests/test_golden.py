"""Golden files: each broken record under tests/golden/ and the exact output it must produce.

Set OWATLAS_UPDATE_GOLDEN=1 to rewrite the expected outputs after a deliberate change, then
read the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from owatlas.cli import main

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.yaml"))
# Cases too big to commit, or that must be made on the spot: expected output in golden/<name>.txt.
MADE = {
    "models/huge-file": lambda target: target.write_bytes(b"id: huge-file\nnotes: '" + b"x" * (3 * 1024 * 1024) + b"'\n"),
    "models/symlink-outside": lambda target: target.symlink_to("/etc/passwd"),
}


def run(tree: Path, case: Path, *args: str):
    shutil.copyfile(case, tree / "records" / case.parent.name / case.name)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_made(tree: Path, name: str, *args: str):
    MADE[name](tree / "records" / f"{name}.yaml")
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(MADE))
def test_made_case_gets_its_exact_error(tree, name):
    result = run_made(tree, name, "validate")
    actual = result.stdout + result.stderr
    expected_file = GOLDEN / f"{name}.txt"
    if os.environ.get("OWATLAS_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert 1 == result.exit_code
    assert expected_file.read_text(encoding="utf-8") == actual
    assert "root:" not in actual


def test_there_are_at_least_forty_bad_inputs():
    assert len(CASES) + len(MADE) >= 40


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_broken_record_gets_its_exact_error(tree, case):
    result = run(tree, case, "validate")
    actual = result.stdout + result.stderr
    expected_file = case.with_suffix(".txt")
    if os.environ.get("OWATLAS_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert 1 == result.exit_code
    assert expected_file.read_text(encoding="utf-8") == actual
    assert "Traceback" not in actual


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_broken_record_stops_the_build_before_anything_is_written(tree, case):
    result = run(tree, case, "build")
    assert 1 == result.exit_code
    assert not (tree / "build").exists()
    assert [] == [path.name for path in tree.iterdir() if path.name.startswith((".build", "datapackage"))]


def test_every_golden_case_names_the_file_line_and_code(tree):
    for case in CASES:
        expected = case.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
        assert expected[0].startswith(f"records/{case.parent.name}/{case.name}:"), case.name
        assert expected[-1].startswith("owatlas validate: "), case.name
