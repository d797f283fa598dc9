"""The owatlas command: a thin shell over the library."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

import click

from .problems import Problem, summary

FORMATS = ("text", "github", "json")
PROGRESS_FROM = 2000  # files; smaller trees are read before a bar would be worth drawing


@contextmanager
def _progress(root: Path):
    """A progress bar on the terminal for large trees; nothing when output is piped or in CI."""
    count = sum(1 for _ in (root / "records").glob("*/*.yaml")) if sys.stderr.isatty() else 0
    if count < PROGRESS_FROM or os.environ.get("CI"):
        yield None
        return
    with click.progressbar(length=count, label="reading records", file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def _interruptible(command: str, outcome: str):
    """Ctrl-C: one line saying what became of the work, exit status 130, no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"owatlas {command}: interrupted; {outcome}", err=True)
        raise SystemExit(130) from None


def _report(command: str, problems: list[Problem], output_format: str) -> None:
    for problem in problems:
        line = {"text": problem.text, "github": problem.github, "json": problem.json}[output_format]()
        click.echo(line)
    click.echo(summary(command, problems), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="open-weight-atlas")
def main() -> None:
    """Open Weight Atlas: validate the records and build the dataset release.

    Run the commands at the root of a checkout (the folder that holds records/).
    """


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="How to print problems.")
def validate(files: tuple[Path, ...], output_format: str) -> None:
    """Check every record (or just FILES) against the schemas and the cross-record rules.

    References are resolved against the whole tree even when FILES are given. Prints every
    problem with file, line and column, then a count; exits 1 if there is any.
    """
    from .validate import validate_tree

    with _interruptible("validate", "nothing was changed"), _progress(Path.cwd()) if not files else nullcontext() as progress:
        problems = validate_tree(Path.cwd(), list(files) or None, progress)
    if problems:
        _report("validate", problems, output_format)
        raise SystemExit(1)
    click.echo("owatlas validate: all records are valid", err=True)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="Folder to write the release into.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="How to print problems.")
def build(out: Path, output_format: str) -> None:
    """Validate every record, then write the release (Parquet, CSV, datapackage.json, SHA256SUMS).

    Nothing is written when any record has a problem; the previous build stays as it was.
    """
    from .release import build_release

    with _interruptible("build", f"the previous release in {out} is kept"), _progress(Path.cwd()) as progress:
        result = build_release(Path.cwd(), out, progress=progress)
    if result.problems:
        _report("build", result.problems, output_format)
        raise SystemExit(1)
    for table, rows in result.rows.items():
        click.echo(f"{table}: {rows} rows")
    click.echo(f"owatlas build: wrote {result.out}", err=True)


@main.command()
def tables() -> None:
    """List the tables of a release, one per line."""
    from .loader import tables as table_names

    for name in table_names():
        click.echo(name)


@main.command()
@click.argument("table")
@click.option("--version", "data_version", default=None, help="Data version to fetch; default: the bundled release.")
@click.option("--kind", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True, help="File format.")
def path(table: str, data_version: str | None, kind: str) -> None:
    """Print the local path of TABLE's file, downloading release --version if needed."""
    from .loader import LoadError
    from .loader import path as table_path

    try:
        click.echo(table_path(table, version=data_version, kind=kind))
    except LoadError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def stats(output_format: str) -> None:
    """Print the dataset's shape: counts by country, year, licence kind and architecture.

    Validates the records first; a model's country is that of its lead developer's top-level
    parent organisation.
    """
    import json

    from .pipeline import run
    from .stats import compute, render

    corpus, problems = run(Path.cwd(), keep="records")
    if problems:
        _report("stats", problems, "text")
        raise SystemExit(1)
    records = {table: [entry.record for entry in corpus.records(table)] for table in corpus.ids}
    result = compute(records["models"], records["companies"], records["licences"], records["quotes"], records.get("benchmarks", []))
    click.echo(json.dumps(result.as_dict(), indent=2) if output_format == "json" else render(result), nl=output_format == "json")


@main.command()
@click.argument("table")
@click.argument("record_id", metavar="ID")
@click.option("--from-hf", "repos", multiple=True, metavar="REPO", help="Prefill a model from its Hugging Face Hub repository (repeat for each weights repository).")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds to wait for each answer from the Hub.")
def new(table: str, record_id: str, repos: tuple[str, ...], timeout: float) -> None:
    """Write records/TABLE/ID.yaml from a template with every field and its description.

    TABLE is model(s), company/companies, licence(s) or quote(s). With --from-hf, the template
    holds what the Hub knows (weights, parameter count, licence, gating, modalities, context length,
    base model), each backed by a source entry for the repository's Hub page.
    """
    import datetime as dt

    from .scaffold import ScaffoldError, new_record, table_name

    try:
        extra = None
        if repos:
            if table_name(table) != "models":
                raise ScaffoldError("--from-hf prefills model records only")
            from .hub import HubUnreachable, connect
            from .hubprefill import prefill

            try:
                extra = prefill(Path.cwd(), list(repos), connect(timeout), dt.date.today())
            except HubUnreachable as error:
                click.echo(f"owatlas new: {error}", err=True)
                raise SystemExit(2) from None
        path = new_record(Path.cwd(), table, record_id, prefill=extra)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    relative = path.relative_to(Path.cwd()).as_posix()
    click.echo(f"Wrote {relative}. Next:")
    click.echo("  1. fill in the fields (each line's comment says what it holds; unknown stays null)")
    click.echo("  2. list in each source's `supports` the fields it backs")
    click.echo(f"  3. owatlas fmt {relative} && owatlas validate {relative}")


@main.command("check-hub")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--new", "list_new", is_flag=True, help="List the Hub repositories of the atlas's organisations that no record lists, newest first.")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="With --new: only repositories created on or after this day.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="How to print findings.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds to wait for each answer from the Hub.")
def check_hub(files: tuple[Path, ...], list_new: bool, since: str | None, output_format: str, timeout: float) -> None:
    """Compare the weights repositories of the model records (all, or FILES) with the Hugging Face Hub.

    One finding per difference: licence tag, gated or open, parameter count, repository missing.
    Exit status 1 when anything differs, 2 when the Hub cannot be reached. Honours HF_ENDPOINT and
    HF_TOKEN. With --new, lists what the atlas is missing instead.
    """
    from .hub import HubUnreachable, connect
    from .hubcheck import check, new_repositories

    try:
        if list_new:
            problems, candidates = new_repositories(Path.cwd(), connect(timeout), since)
        else:
            problems, findings = check(Path.cwd(), list(files) or None, connect(timeout))
    except HubUnreachable as error:
        click.echo(f"owatlas check-hub: {error}", err=True)
        raise SystemExit(2) from None
    if problems:
        _report("check-hub", problems, output_format)
        raise SystemExit(1)
    if list_new:
        for candidate in candidates:
            click.echo(f"{candidate.found.created or '----------'}  {candidate.found.repo}  {candidate.found.pipeline_tag or '-'}  {candidate.command}")
        click.echo(f"owatlas check-hub: {len(candidates)} repositories no record lists", err=True)
        return
    for finding in findings:
        click.echo({"text": finding.text, "github": finding.github, "json": finding.json}[output_format]())
    if findings:
        click.echo(f"owatlas check-hub: {len(findings)} difference(s) with the Hub", err=True)
        raise SystemExit(1)
    click.echo("owatlas check-hub: the records agree with the Hub", err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
def fmt(files: tuple[Path, ...], check: bool) -> None:
    """Rewrite records (all, or FILES) canonically, keeping comments.

    Keys in schema order, two-space indentation, dates and misreadable text quoted, unordered
    lists sorted. Running it twice changes nothing.
    """
    from .corpus import RECORDS
    from .fmt import format_files

    root = Path.cwd()
    targets = list(files) or sorted((root / RECORDS).glob("*/*.yaml"))
    result = format_files(root, targets, check=check)
    for problem in result.problems:
        click.echo(problem.text())
    for path in result.changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path.resolve().relative_to(root.resolve()).as_posix() if path.resolve().is_relative_to(root.resolve()) else path}")
    if result.problems:
        click.echo(f"owatlas fmt: {len(result.problems)} file(s) not formatted: fix the problems above first", err=True)
        raise SystemExit(1)
    if check and result.changed:
        click.echo(f"owatlas fmt: {len(result.changed)} file(s) would change; run `owatlas fmt`", err=True)
        raise SystemExit(1)
    click.echo(f"owatlas fmt: {len(targets)} file(s) {'checked' if check else 'formatted'}, {len(result.changed)} {'would change' if check else 'changed'}", err=True)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True, help="Output format.")
def diff(old: str, new: str, output_format: str) -> None:
    """Compare two releases (build folders or release zips; OLD may be 'empty').

    Lists the records added, removed, retired and changed in each table, and for a changed record
    each field with its old and new value.
    """
    from .diff import ReleaseReadError, compare, read_release, render_json, render_markdown, render_text

    try:
        result = compare(read_release(old), read_release(new))
    except ReleaseReadError as error:
        raise click.ClickException(str(error)) from None
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[output_format]
    click.echo(render(result), nl=False)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True, help="Folder for the release assets.")
@click.option("--previous", default="empty", show_default=True, help="The previous release (folder or zip) that the notes compare with.")
@click.option("--record/--no-record", default=True, show_default=True, help="Add the notes to RELEASES.md.")
def release(out: Path, previous: str, record: bool) -> None:
    """Write the release assets: versioned folder, zip, release notes and flat upload files.

    The folder holds the tables (Parquet, CSV), datapackage.json, the dataset card and SHA256SUMS;
    the notes list what changed since --previous; upload/ holds every file flat (for a release page
    without folders) with its own SHA256SUMS, which owatlas.load(version=...) reads.
    """
    from .diff import ReleaseReadError
    from .publish import make_release, record_in_changelog

    try:
        assets = make_release(Path.cwd(), out, previous)
    except ReleaseReadError as error:
        raise click.ClickException(str(error)) from None
    if assets.problems:
        _report("release", assets.problems, "text")
        raise SystemExit(1)
    for path in (assets.folder, assets.archive, assets.notes, assets.upload):
        click.echo(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    if record and record_in_changelog(Path.cwd() / "RELEASES.md", assets.notes.read_text(encoding="utf-8")):
        click.echo("RELEASES.md: added the notes of this release", err=True)


@main.command()
@click.argument("out", required=False, type=click.Path(path_type=Path), default=Path("build/site"))
@click.option("--release", "release_folder", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="The release to render.")
def site(out: Path, release_folder: Path) -> None:
    """Render a static website of the release into OUT (default build/site/).

    A searchable, sortable models table, charts, and a page per model, company, licence and
    quote with its sources. Open OUT/index.html in a browser: it needs no server or network.
    """
    from .explorer import ExplorerError, render_site

    try:
        pages = render_site(release_folder, out)
    except ExplorerError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"owatlas site: wrote {pages} pages; open {out / 'index.html'}", err=True)


@main.group()
def export() -> None:
    """Export the release to other formats."""


@export.command("sqlite")
@click.argument("database", type=click.Path(path_type=Path))
@click.option("--release", "release_folder", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="The release to export.")
def export_sqlite_command(database: Path, release_folder: Path) -> None:
    """Write every table into the SQLite file DATABASE, with keys and full-text search.

    A metadata.json beside it gives datasette the titles, descriptions, licence and source:
    datasette DATABASE --metadata metadata.json
    """
    from .explorer import ExplorerError
    from .sqlite_export import export_sqlite

    try:
        counts = export_sqlite(release_folder, database)
    except ExplorerError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"owatlas export sqlite: {sum(counts.values())} rows in {len(counts)} tables written to {database}", err=True)
