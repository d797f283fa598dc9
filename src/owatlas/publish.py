"""Release assets: the versioned release folder, a reproducible zip of it, and release notes."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __data_version__
from .diff import EMPTY, compare, read_release, render_markdown
from .problems import Problem
from .release import CHECKSUMS, build_release, write_checksums

NAME = "open-weight-atlas"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class ReleaseAssets:
    folder: Path
    archive: Path | None = None
    notes: Path | None = None
    upload: Path | None = None
    problems: list[Problem] = field(default_factory=list)


def asset_name(version: str = __data_version__) -> str:
    return f"{NAME}-{version}"


def make_release(root: Path, out: Path, previous: str | Path = EMPTY) -> ReleaseAssets:
    """Build the release into out/<name>-<version>/, zip it, and write notes against `previous`."""
    name = asset_name()
    folder = (out if out.is_absolute() else root / out) / name
    built = build_release(root, folder)
    if built.problems:
        return ReleaseAssets(folder, problems=built.problems)
    archive = folder.with_name(f"{name}.zip")
    write_zip(folder, archive, name)
    notes = folder.with_name(f"{name}-notes.md")
    notes.write_text(render_markdown(compare(read_release(previous), read_release(folder))), encoding="utf-8")
    upload = folder.with_name("upload")
    write_upload(folder, [archive, notes], upload)
    return ReleaseAssets(folder, archive, notes, upload)


def write_upload(folder: Path, extra: list[Path], upload: Path) -> None:
    """Flat files for a release page that has no folders (models.parquet, models.csv, ...), with their SHA256SUMS."""
    if upload.exists():
        shutil.rmtree(upload)
    upload.mkdir(parents=True)
    files = [path for path in folder.rglob("*") if path.is_file() and path.name != CHECKSUMS] + extra
    for path in files:
        shutil.copyfile(path, upload / path.name)
    write_checksums(upload)


def write_zip(folder: Path, archive: Path, prefix: str) -> None:
    """A zip whose bytes depend only on the files: sorted entries, fixed times and modes."""
    temporary = archive.with_name(f".{archive.name}.tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as output:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            output.writestr(info, path.read_bytes())
    temporary.replace(archive)


def record_in_changelog(releases_file: Path, notes: str) -> bool:
    """Put this release's notes above the earlier ones in RELEASES.md, once; True if the file changed."""
    heading = notes.splitlines()[0]
    text = releases_file.read_text(encoding="utf-8") if releases_file.exists() else "# Data releases\n"
    lines = text.splitlines(keepends=True)
    if heading + "\n" in lines:
        return False
    first = next((index for index, line in enumerate(lines) if line.startswith("## ")), len(lines))
    before = "".join(lines[:first]).rstrip("\n") + "\n\n"
    releases_file.write_text(before + notes + ("\n" + "".join(lines[first:]) if first < len(lines) else ""), encoding="utf-8")
    return True
