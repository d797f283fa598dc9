"""Validate a checkout's records: read, check each against its schema, apply the rules."""

from __future__ import annotations

from pathlib import Path

from .pipeline import run
from .problems import Problem


def validate_tree(root: Path, files: list[Path] | None = None, progress=None) -> list[Problem]:
    """Every problem in the records under `root` (or in `files`, resolved against the tree)."""
    return run(root, files, progress)[1]
