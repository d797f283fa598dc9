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

pytestmark = pytest.mark.posix  # SIGKILL and process groups

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


# A tree large enough for worker processes (pipeline.PARALLEL_FROM files), made once per session.
WORKER_TREE_SIZE = 4000
BUILD_WITHOUT_PRCTL = [sys.executable, "-c", "import owatlas.pipeline as p; p.PARENT_DEATH_SIGNAL = False; from owatlas.cli import main; main()", "build"]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the build's processes")


@pytest.fixture(scope="session")
def large_tree(tmp_path_factory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("large")
    generate(WORKER_TREE_SIZE, root)
    build(root)
    return root


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid` (zombies, already dead, do not count)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    still = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            still.add(pid)
    return still


def start_with_workers(command: list[str], tree: Path, **options) -> tuple[subprocess.Popen, set[int]]:
    """Start a build and wait until its worker processes run; return it and their pids."""
    process = subprocess.Popen(command, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **options)
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(workers) >= 2, "the build never started its workers"
    return process, workers


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive(pids)


@linux_only
@pytest.mark.parametrize("delay", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("command", [BUILD, BUILD_WITHOUT_PRCTL], ids=["prctl", "watch-thread"])
def test_killing_the_main_process_ends_its_workers_and_keeps_the_release(large_tree, command, delay):
    before = snapshot(large_tree / "build")
    process, workers = start_with_workers(command, large_tree)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert set() == wait_gone(workers, 2.5)
    assert before == snapshot(large_tree / "build")


@linux_only
def test_ctrl_c_stops_every_process_with_one_line_and_status_130(large_tree):
    before = snapshot(large_tree / "build")
    process, workers = start_with_workers(BUILD, large_tree, start_new_session=True)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole foreground group
    _, stderr = process.communicate(timeout=30)
    assert 130 == process.returncode
    assert "owatlas build: interrupted; the previous release in build is kept\n" == stderr
    assert set() == wait_gone(workers, 2.5)
    assert before == snapshot(large_tree / "build")
    assert [] == [name for name in debris(large_tree) if name.startswith(f".build-{process.pid}-")]  # killed builds before it may leave theirs


def test_a_platform_without_an_atomic_swap_still_replaces_the_release(tree, old_and_new, monkeypatch):
    from owatlas import atomic
    from owatlas.release import build_release

    _, after = old_and_new
    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    assert [] == build_release(tree, tree / "build", refresh_sources=False).problems
    assert after == snapshot(tree / "build")
    assert [] == debris(tree)


def test_a_release_left_aside_by_a_kill_mid_swap_is_put_back_first(tree, old_and_new):
    from owatlas.atomic import replaced_folder

    before, _ = old_and_new
    staging = tree / ".build-4242-x"
    staging.mkdir()
    (tree / "build").rename(staging / "old")  # killed between the two renames of the slow swap
    with pytest.raises(RuntimeError), replaced_folder(tree / "build"):
        assert before == snapshot(tree / "build")  # restored before the new release is written
        raise RuntimeError("a failed build")
    assert before == snapshot(tree / "build")
    assert [] == debris(tree)
