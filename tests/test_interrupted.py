"""Interrupted and concurrent work: a kill at any moment loses nothing and leaves nothing to trust."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ReleaseServer, edit

BUILD = [sys.executable, "-c", "from owatlas.cli import main; main()", "build"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(tree: Path, *options: str) -> None:
    subprocess.run(BUILD + list(options), cwd=tree, check=True, capture_output=True, timeout=120)


def debris(tree: Path) -> list[str]:
    return sorted(p.name for p in tree.iterdir() if p.name.startswith(".build-"))


@pytest.fixture
def old_and_new(tree) -> tuple[dict, dict]:
    """The release before and after one record changes; the tree is left at 'after', build/ at 'before'."""
    build(tree)
    before = snapshot(tree / "build")
    edit(tree, "models/acme-1.yaml", "context_length: 32768", "context_length: 65536")
    build(tree, "--out", "expected")
    after = snapshot(tree / "expected")
    assert before != after
    return before, after


@pytest.mark.parametrize("delay", [0.1, 0.6, 1.0, 1.4, 2.0])
def test_a_build_killed_at_any_moment_leaves_a_whole_release(tree, old_and_new, delay):
    before, after = old_and_new
    process = subprocess.Popen(BUILD, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert snapshot(tree / "build") in (before, after)
    build(tree)
    assert after == snapshot(tree / "build")
    assert [] == debris(tree)


def test_two_builds_at_once_leave_one_whole_release(tree, old_and_new):
    _, after = old_and_new
    processes = [subprocess.Popen(BUILD, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    assert [0, 0] == [process.wait(timeout=120) for process in processes]
    assert after == snapshot(tree / "build")
    assert [] == debris(tree)


def test_a_loader_killed_mid_download_leaves_nothing_a_later_load_trusts(tree, tmp_path):
    build(tree)
    served = tmp_path / "served"
    shutil.copytree(tree / "build", served / "2026.1.0")
    server = ReleaseServer(served)
    server.slow.add("/2026.1.0/parquet/sources.parquet")
    cache = tmp_path / "cache"
    environment = os.environ | {"OWATLAS_CACHE": str(cache)}
    code = f"import owatlas; owatlas.load('sources', version='2026.1.0', base_url='{server.url}', format='arrow')"
    try:
        process = subprocess.Popen([sys.executable, "-c", code], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while "/2026.1.0/parquet/sources.parquet" not in server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert not (cache / "2026.1.0" / "parquet" / "sources.parquet").exists()
        server.slow.clear()
        result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    assert 0 == result.returncode, result.stderr
    expected = pq.ParquetFile(tree / "build" / "parquet" / "sources.parquet").read()
    assert expected.equals(pq.ParquetFile(cache / "2026.1.0" / "parquet" / "sources.parquet").read())
