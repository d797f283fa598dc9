"""Validate a checkout's records: read, check each against its schema, apply the rules."""

from __future__ import annotations

from pathlib import Path

from .checks import check
from .corpus import Corpus, load
from .problems import Problem


def validate_tree(root: Path, files: list[Path] | None = None, progress=None) -> list[Problem]:
    """Every problem in the records under `root` (or in `files`, resolved against the tree)."""
    return check(load(root, files, progress))


def validated_corpus(root: Path, progress=None) -> tuple[Corpus, list[Problem]]:
    corpus = load(root, progress=progress)
    return corpus, check(corpus)
