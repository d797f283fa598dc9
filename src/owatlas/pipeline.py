"""Read, check and tabulate the records of a tree chunk by chunk; a large tree in worker processes.

Each chunk of files is read, validated against the schemas, checked by the record rules and, for a
build, turned into Arrow tables where it was read. Only problems, small keys and those tables go
back to the main process, which runs the tree rules on the keys.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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
    if len(paths) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
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
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_enter, initargs=(corpus, keep)) as pool:
        for files, chunk in zip(chunks, pool.map(_read_in_worker, chunks)):
            yield chunk
            progress(len(files))


_worker_context: tuple[Corpus, Keep] | None = None


def _enter(corpus: Corpus, keep: Keep) -> None:
    global _worker_context
    _worker_context = (corpus, keep)
    # What the worker inherited is never garbage, and records hardly make reference cycles: the
    # collector runs once per chunk instead of every few thousand allocations (15% of the time).
    gc.freeze()
    gc.disable()


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
