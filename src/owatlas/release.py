"""Write a release: validate, build every table, write them into a new folder that replaces the old whole."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import card
from .atomic import replaced_folder
from .datapackage import render
from .generated import refresh
from .problems import Problem
from .pipeline import run

DESCRIPTOR = "datapackage.json"
CARD = "README.md"
CHECKSUMS = "SHA256SUMS"
README_FIGURES = ("releases-by-quarter.svg", "frontier-gpqa-diamond.svg")


@dataclass
class BuildResult:
    out: Path
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def build_release(root: Path, out: Path, *, refresh_sources: bool = True, progress=None) -> BuildResult:
    """Validate the records under `root`; when all are valid, replace `out` with a fresh release.

    With `refresh_sources`, also rewrite the generated files of the checkout (datapackage.json,
    schema/, docs/fields.md) when they differ.
    """
    root = root.resolve()
    out = out if out.is_absolute() else root / out
    corpus, problems = run(root, progress=progress, keep="tables")
    if problems:
        return BuildResult(out, problems)
    from .tabular import combine

    retired = {table: list(items.values()) for table, items in corpus.retired.items()}
    tables = combine(corpus.tables, retired)
    del corpus  # the combined tables hold everything the files need
    with replaced_folder(out) as staging:
        write_release(tables, staging)
    if refresh_sources:
        refresh(root)
        _refresh_readme_figure(root, out)
    return BuildResult(out, [], {table.name: table.row_count for table in tables})


def write_release(tables, folder: Path) -> None:
    """Write Parquet, CSV, the descriptor and the checksums of `tables` into `folder`."""
    import pyarrow.csv as csv
    import pyarrow.parquet as pq

    (folder / "parquet").mkdir()
    (folder / "csv").mkdir()
    options = csv.WriteOptions(eol="\r\n", quoting_style="needed")
    for table in tables:
        nested = table.arrow()
        pq.write_table(nested, folder / "parquet" / f"{table.name}.parquet", compression="zstd")
        csv.write_csv(table.flat_arrow(nested), folder / "csv" / f"{table.name}.csv", write_options=options)
    (folder / DESCRIPTOR).write_bytes(render(tables))
    (folder / CARD).write_text(card.render(tables), encoding="utf-8")
    from .explorer import FIGURES, read_atlas, write_figures

    write_figures(read_atlas(folder, figures_only=True), folder / FIGURES)
    write_checksums(folder)


def write_checksums(folder: Path) -> None:
    """SHA256SUMS of every file below `folder`, in the format `sha256sum -c` reads."""
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.name != CHECKSUMS)
    lines = [f"{_sha256(path)}  {path.relative_to(folder).as_posix()}\n" for path in files]
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def _refresh_readme_figure(root: Path, out: Path) -> None:
    """The README shows the main charts of the latest build."""
    for name in README_FIGURES:
        figure = out / "figures" / name
        target = root / "docs" / "figures" / name
        if figure.is_file() and (not target.is_file() or target.read_bytes() != figure.read_bytes()):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(figure.read_bytes())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
