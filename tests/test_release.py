"""Release assets, diffs between releases, and the citation file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, edit

from owatlas import __data_version__
from owatlas.cli import main

NAME = f"open-weight-atlas-{__data_version__}"


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def two_releases(tree: Path) -> tuple[Path, Path]:
    """Build 'old', then change acme-1, add acme-2, remove jane-open-weights, retire acme-1-mini; build 'new'."""
    assert 0 == invoke("build", "--out", "old").exit_code
    edit(tree, "models/acme-1.yaml", "context_length: 32768", "context_length: 65536")
    edit(tree, "models/acme-1.yaml", "access: gated", "access: open")
    new_model = (tree / "records/models/acme-1.yaml").read_text().replace("id: acme-1\n", "id: acme-2\n").replace("name: Acme-1\n", "name: Acme-2\n")
    (tree / "records/models/acme-2.yaml").write_text(new_model)
    (tree / "records/quotes/jane-open-weights.yaml").unlink()
    (tree / "records/models/acme-1-mini.yaml").unlink()
    retired = (tree / "records/retired.yaml").read_text()
    (tree / "records/retired.yaml").write_text(retired + "  - id: acme-1-mini\n    retired: '2026-02-01'\n    reason: never released\n")
    result = invoke("build", "--out", "new")
    assert 0 == result.exit_code, result.output
    return tree / "old", tree / "new"


def test_diff_names_added_removed_retired_and_changed_fields(tree):
    old, new = two_releases(tree)
    text = invoke("diff", str(old), str(new)).stdout
    assert "models: 1 added, 1 changed, 0 removed, 1 retired (2 in all)" in text
    assert "  + acme-2\n" in text
    assert "  x acme-1-mini (retired: never released)\n" in text
    assert "  ~ acme-1\n      context_length: 32768 -> 65536\n      access: \"gated\" -> \"open\"\n" in text
    assert "quotes: 0 added, 0 changed, 1 removed, 0 retired (0 in all)\n  - jane-open-weights\n" in text


def test_diff_json_and_markdown(tree):
    old, new = two_releases(tree)
    data = json.loads(invoke("diff", "--format", "json", str(old), str(new)).stdout)
    assert {"added": ["acme-2"], "removed": [], "retired": ["acme-1-mini"], "total": 2} == {k: v for k, v in data["tables"]["models"].items() if k != "changed"}
    assert [{"field": "context_length", "old": 32768, "new": 65536}, {"field": "access", "old": "gated", "new": "open"}] == data["tables"]["models"]["changed"]["acme-1"]
    markdown = invoke("diff", "--format", "markdown", str(old), str(new)).stdout
    assert "| models | 1 | 1 | 0 | 1 | 2 |" in markdown
    assert "- `acme-1`: `context_length` 32768 → 65536; `access` \"gated\" → \"open\"" in markdown


def test_diff_reads_release_zips_like_folders(tree):
    old, new = two_releases(tree)
    assert 0 == invoke("release", "--out", "assets", "--previous", str(old), "--no-record").exit_code
    archive = tree / "assets" / f"{NAME}.zip"
    assert invoke("diff", str(old), str(new)).stdout.splitlines()[1:] == invoke("diff", str(old), str(archive)).stdout.splitlines()[1:]


def test_diff_refuses_what_is_not_a_release(tree):
    result = invoke("diff", "empty", str(tree / "records"))
    assert 1 == result.exit_code
    assert "is not a release: it has no datapackage.json" in result.stderr


def test_release_writes_versioned_folder_zip_and_notes(tree):
    result = invoke("release", "--out", "assets")
    assert 0 == result.exit_code, result.output
    assets = tree / "assets"
    assert {NAME, f"{NAME}.zip", f"{NAME}-notes.md", "upload", ".owatlas-lock"} == {p.name for p in assets.iterdir()}  # the lock writers take turns on
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=assets / NAME, capture_output=True, text=True)
    assert 0 == check.returncode, check.stdout + check.stderr
    notes = (assets / f"{NAME}-notes.md").read_text()
    assert notes.startswith(f"## Open Weight Atlas {__data_version__}\n\nFirst release: every record is new.")
    assert (tree / "RELEASES.md").read_text().startswith(f"# Data releases\n\n## Open Weight Atlas {__data_version__}\n")


def test_release_zip_is_reproducible(tree):
    invoke("release", "--out", "one", "--no-record")
    invoke("release", "--out", "two", "--no-record")
    assert (tree / "one" / f"{NAME}.zip").read_bytes() == (tree / "two" / f"{NAME}.zip").read_bytes()


def test_releases_file_gets_each_version_once(tree):
    invoke("release", "--out", "assets")
    once = (tree / "RELEASES.md").read_text()
    invoke("release", "--out", "assets")
    assert once == (tree / "RELEASES.md").read_text()


def test_citation_file_is_valid_cff():
    command = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(command), "--builtin-schema", "vendor.citation-file-format", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert f'version: "{__data_version__}"' in (ROOT / "CITATION.cff").read_text()


def test_diff_summarises_long_text_lists_weights_and_licence_changes(tree):
    assert 0 == invoke("build", "--out", "old").exit_code
    edit(tree, "models/acme-1.yaml", "Line two.", "Line two, and a much longer third line that makes these notes well over eighty characters long.")
    edit(tree, "models/acme-1.yaml", "  - repository: acme/acme-1\n", "  - repository: acme/acme-1-base\n")
    edit(tree, "models/acme-1.yaml", "date: '2024-06'", "date: '2024-07'")
    edit(tree, "models/acme-1.yaml", "developers: [acme, acme-labs]", "developers: [acme]")
    assert 0 == invoke("build", "--out", "new").exit_code
    text = invoke("diff", "old", "new").stdout
    assert "      notes: rewritten (46 characters -> 132 characters)\n" in text
    assert '      weights: +"acme/acme-1-base" -"acme/acme-1"\n' in text
    assert '      licence_changes: +"2024-07: acme-research-licence -> acme-licence" -"2024-06: acme-research-licence -> acme-licence"\n' in text
    assert '      developers: -"acme-labs"\n' in text
    data = json.loads(invoke("diff", "--format", "json", "old", "new").stdout)
    notes = next(change for change in data["tables"]["models"]["changed"]["acme-1"] if change["field"] == "notes")
    assert notes["new"].endswith("eighty characters long.")
