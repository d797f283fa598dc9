"""Validate a checkout's records: read, check each against its schema, apply the rules."""

from __future__ import annotations

from pathlib import Path

from .checks import check
from .corpus import Corpus, load
from .problems import Problem


def validate_tree(root: Path, files: list[Path] | None = None) -> list[Problem]:
    """Every problem in the records under `root` (or in `files`, resolved against the tree)."""
    return check(load(root, files))


def validated_corpus(root: Path) -> tuple[Corpus, list[Problem]]:
    corpus = load(root)
    return corpus, check(corpus)
