"""A large tree is read in chunks by worker processes; the outcome must not depend on how."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, write

from owatlas import pipeline
from owatlas.release import build_release
from owatlas.validate import validate_tree

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def in_workers(monkeypatch):
    """Send even a small tree to worker processes, a few files per chunk."""

    def use(chunk: int) -> None:
        monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
        monkeypatch.setattr(pipeline, "CHUNK", chunk)

    return use


def test_the_atlas_builds_byte_for_byte_alike_in_one_process_and_in_workers(tmp_path, in_workers):
    alone = build_release(ROOT, tmp_path / "alone", refresh_sources=False)
    in_workers(7)
    shared = build_release(ROOT, tmp_path / "shared", refresh_sources=False)
    assert [] == alone.problems == shared.problems
    assert alone.rows == shared.rows
    assert snapshot(tmp_path / "alone") == snapshot(tmp_path / "shared")


def test_rows_follow_ids_across_chunks_even_where_file_names_sort_otherwise(tree, tmp_path, in_workers):
    # acme-1-mini.yaml sorts before acme-1.yaml, but the id acme-1 comes first.
    in_workers(1)
    build_release(tree, tmp_path / "out", refresh_sources=False)
    csv = (tmp_path / "out" / "csv" / "models.csv").read_bytes().decode("utf-8")
    assert csv.index('\r\n"acme-1",') < csv.index('\r\n"acme-1-mini",')


def test_problems_are_the_same_in_one_process_and_in_workers(tree, in_workers):
    edit(tree, "models/acme-1.yaml", "licence: acme-licence", "licence: nowhere")  # a record rule
    write(tree, "models/acme-2.yaml", (tree / "records/models/acme-1-mini.yaml").read_text())  # a tree rule
    write(tree, "companies/broken.yaml", "id: broken\nname: [\n")  # unreadable
    alone = validate_tree(tree)
    in_workers(2)
    shared = validate_tree(tree)
    assert {"unknown-reference", "duplicate-id", "id-mismatch", "yaml-syntax"} <= {problem.code for problem in alone}
    assert alone == shared


def test_where_workers_cannot_be_forked_one_process_reads_everything_alike(tmp_path, in_workers, monkeypatch):
    in_workers(7)
    forked = build_release(ROOT, tmp_path / "forked", refresh_sources=False)
    monkeypatch.setattr(pipeline, "FORK_WORKERS", False)
    monkeypatch.setattr(pipeline.multiprocessing, "get_context", lambda *args: pytest.fail("no worker may start"))
    alone = build_release(ROOT, tmp_path / "alone", refresh_sources=False)
    assert [] == forked.problems == alone.problems
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "alone")
