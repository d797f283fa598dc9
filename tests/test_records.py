"""Data tests: every real record file of the atlas, one test each (the test id is the file path)."""

from __future__ import annotations

import pytest

from conftest import ROOT
from owatlas.schema import TABLES
from owatlas.validate import validate_tree

RECORD_FILES = sorted((ROOT / "records").glob("*/*.yaml"))


def test_the_atlas_has_records_in_every_table():
    assert set(TABLES) == {path.parent.name for path in RECORD_FILES}


@pytest.mark.parametrize("path", RECORD_FILES, ids=[p.relative_to(ROOT).as_posix() for p in RECORD_FILES])
def test_record_is_valid(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    problems = validate_tree(ROOT, [path])
    assert [] == [problem.text() for problem in problems]


def test_whole_tree_is_valid(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert [] == [problem.text() for problem in validate_tree(ROOT)]
