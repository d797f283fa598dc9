"""Read, check and tabulate the records of a tree chunk by chunk; a large tree in worker processes.

Each chunk of files is read, validated against the schemas, checked by the record rules and, for a
build, turned into Arrow tables where it was read. Only problems, small keys and those tables go
back to the main process, which runs the tree rules on the keys.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .checks import check_record, check_tree, key
from .corpus import Corpus, Entry, Key, read, survey
from .problems import Problem

Keep = Literal["problems", "records", "tables"]
PARALLEL_FROM = 2000  # files; below this, starting workers costs more than it saves
CHUNK = 1000
MAX_WORKERS = 4
# Workers are forked, on Linux only: fork is unsafe with threads on macOS, and Windows has none.
# Elsewhere the tree is read in one process: slower on large trees, the same result.
FORK_WORKERS = sys.platform == "linux"
# Linux ends a worker the moment the main process dies (prctl PR_SET_PDEATHSIG); the watch thread
# covers the gap before prctl took effect and any kernel that lacks it.
PARENT_DEATH_SIGNAL = sys.platform == "linux"
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


@dataclass
class Chunk:
    """What reading one chunk of files gives back."""

    problems: list[Problem] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    tables: dict[str, Any] | None = None


def run(root: Path, files: list[Path] | None = None, progress: Callable[[int], None] | None = None, *, keep: Keep = "problems") -> tuple[Corpus, list[Problem]]:
    """Read every record under root/records (or just `files`) and every problem, sorted.

    `keep` says what else the corpus holds: the valid records ("records"), or the release's
    Arrow tables, one set per chunk, when no file has a problem ("tables").
    `progress`, if given, is called with the number of files read since its last call.
    """
    corpus, paths = survey(root, files)
    for chunk in _chunks(corpus, keep, paths, progress or (lambda done: None)):
        corpus.problems += chunk.problems
        corpus.keys += chunk.keys
        corpus.entries += chunk.entries
        if chunk.tables is not None:
            corpus.tables.append(chunk.tables)
    problems = check_tree(corpus)
    if problems:
        corpus.tables = []
    return corpus, problems


def _chunks(corpus: Corpus, keep: Keep, paths: list[str], progress: Callable[[int], None]):
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    if len(paths) < PARALLEL_FROM or workers < 2 or not FORK_WORKERS:
        for chunk in chunks:
            yield _read_chunk(corpus, keep, chunk)
            progress(len(chunk))
        return
    if keep == "tables":
        # Imported once here, not in every worker. pyarrow imports pandas, when it is installed,
        # at its first conversion of Python values: that first conversion is made here too.
        from .tabular import release_tables

        release_tables({})
    # Forked workers inherit the corpus (every id of the tree) once, instead of with every chunk.
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_enter, initargs=(corpus, keep, os.getpid()))
    try:
        for files, chunk in zip(chunks, pool.imap(_read_in_worker, chunks)):
            yield chunk
            progress(len(files))
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl-C, an error, or a reader that stopped early: the workers stop now
        raise
    finally:
        pool.join()


_worker_context: tuple[Corpus, Keep] | None = None


def _enter(corpus: Corpus, keep: Keep, parent: int) -> None:
    global _worker_context
    _worker_context = (corpus, keep)
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the main process answers it
    # What the worker inherited is never garbage, and records hardly make reference cycles: the
    # collector runs once per chunk instead of every few thousand allocations (15% of the time).
    gc.freeze()
    gc.disable()


def _end_with(parent: int) -> None:
    """End this worker when the main process `parent` ends, however it ends (SIGKILL included)."""
    if PARENT_DEATH_SIGNAL:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the main process died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="owatlas-watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    """Where no signal comes, notice the orphaning: the worker's parent is no longer `parent`."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _read_in_worker(paths: list[str]) -> Chunk:
    corpus, keep = _worker_context
    chunk = _read_chunk(corpus, keep, paths)
    gc.collect()
    return chunk


def _read_chunk(corpus: Corpus, keep: Keep, paths: list[str]) -> Chunk:
    chunk = Chunk()
    valid = []
    for path in paths:
        entry, problems = read(corpus.root, path)
        chunk.problems += problems
        if entry.record is not None:
            chunk.problems += check_record(entry, corpus)
            chunk.keys.append(key(entry))
            valid.append(entry)
    if keep == "records":
        chunk.entries = valid
    elif keep == "tables" and not chunk.problems:
        from .tabular import chunk_tables

        chunk.tables = chunk_tables({table: [entry.record for entry in valid if entry.table == table] for table in corpus.ids})
    return chunk
