"""Tools for contributors: owatlas new, owatlas fmt, and JSON Schemas that agree with validate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, edit, write

from owatlas.cli import main
from owatlas.reader import read_record
from owatlas.schema import TABLES
from owatlas.validate import validate_tree


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("table", ["model", "companies", "licence", "quote"])
def test_new_writes_every_field_in_schema_order_with_comments(tree, table):
    result = invoke("new", table, "fresh-one")
    assert 0 == result.exit_code, result.output
    plural = table if table in TABLES else {"model": "models", "licence": "licences", "quote": "quotes"}[table]
    text = (tree / "records" / plural / "fresh-one.yaml").read_text()
    assert text.startswith(f"# yaml-language-server: $schema=../../schema/{plural}.schema.json\nid: fresh-one  # ")
    top_level = [line.split(":")[0] for line in text.splitlines()[1:] if line and not line.startswith((" ", "#"))]
    assert list(TABLES[plural].model_fields) == top_level
    assert all("  # " in line for line in text.splitlines()[1:]), "every field carries its description"
    assert f"owatlas fmt records/{plural}/fresh-one.yaml && owatlas validate records/{plural}/fresh-one.yaml" in result.stdout


def test_new_record_tells_what_to_fill_in(tree):
    invoke("new", "model", "fresh-one")
    problems = validate_tree(tree, [tree / "records/models/fresh-one.yaml"])
    assert "missing-value" in {p.code for p in problems}
    assert all(p.record == "fresh-one" for p in problems)


def test_new_refuses_an_existing_or_invalid_id(tree):
    existing = invoke("new", "model", "acme-1")
    assert (1, "Error: records/models/acme-1.yaml exists already; edit it, or choose another id (ids are never reused)\n") == (existing.exit_code, existing.stderr)
    invalid = invoke("new", "model", "Acme 2")
    assert 1 == invalid.exit_code and "invalid id" in invalid.stderr
    table = invoke("new", "person", "x")
    assert "unknown table 'person'; expected one of: companies, licences, models, quotes" in table.stderr


MESSY = """\
# A comment at the top survives.
name: Acme-2   # the official name
id: acme-2
family: '1.10'
developers:
- acme
# where it came from
released: 2024-05-06
modalities:
  output: [text]
  input: [text, image]
parameters:
  # rounded by the source
  total: 8000000000
  approximate: true
licence: acme-licence
access: open
sources:
- url: https://example.org/acme-2
  title: Acme-2
  publisher: Example
  accessed: '2026-11-01'
  supports: [name, developers, released, modalities, parameters, licence, access]
"""


def test_fmt_orders_quotes_and_keeps_comments(tree):
    path = write(tree, "models/acme-2.yaml", MESSY)
    result = invoke("fmt", str(path))
    assert 0 == result.exit_code, result.output
    text = path.read_text()
    assert text.startswith("# A comment at the top survives.\nid: acme-2\nname: Acme-2   # the official name\nfamily: '1.10'\n")
    assert "developers:\n  - acme\n# where it came from\nreleased: '2024-05-06'\n" in text
    assert "parameters:\n  # rounded by the source\n  total: 8000000000\n  approximate: true\n" in text
    assert "modalities:\n  input: [image, text]\n  output: [text]\n" in text
    assert [] == validate_tree(tree, [path])


def test_fmt_twice_changes_nothing_and_keeps_meaning(tree):
    path = write(tree, "models/acme-2.yaml", MESSY)
    before = read_record(path, "p", "acme-2").document.data
    invoke("fmt")
    once = {p: p.read_bytes() for p in (tree / "records").rglob("*.yaml")}
    second = invoke("fmt")
    assert once == {p: p.read_bytes() for p in (tree / "records").rglob("*.yaml")}
    assert "0 changed" in second.stderr
    after = read_record(path, "p", "acme-2").document.data
    before["modalities"]["input"].sort()
    assert before | {"released": "2024-05-06"} == after


def test_fmt_check_lists_the_files_and_exits_1(tree):
    path = write(tree, "models/acme-2.yaml", MESSY)
    result = invoke("fmt", "--check")
    assert 1 == result.exit_code
    assert "would reformat records/models/acme-2.yaml\n" in result.stdout
    assert MESSY == path.read_text()


def test_fmt_leaves_unreadable_files_alone_and_says_why(tree):
    path = write(tree, "models/acme-2.yaml", "id: acme-2\nid: again\n")
    result = invoke("fmt", str(path))
    assert 1 == result.exit_code
    assert "duplicate key 'id'" in result.stdout
    assert "id: acme-2\nid: again\n" == path.read_text()


def test_every_real_record_is_already_formatted():
    result = subprocess.run([sys.executable, "-c", "from owatlas.cli import main; main()", "fmt", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert 0 == result.returncode, result.stdout


def check_jsonschema(table: str, files: list[Path]) -> subprocess.CompletedProcess:
    command = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run([str(command), "--schemafile", str(ROOT / "schema" / f"{table}.schema.json"), *map(str, files)], capture_output=True, text=True)


@pytest.mark.parametrize("table", sorted(table for table in TABLES if any((ROOT / "records" / table).glob("*.yaml"))))
def test_json_schema_accepts_every_real_record(table):
    result = check_jsonschema(table, sorted((ROOT / "records" / table).glob("*.yaml")))
    assert 0 == result.returncode, result.stdout + result.stderr


INVALID = [
    ("unknown field", "access: gated", "access: gated\nlicense_url: https://example.org"),
    ("wrong type", "total: 46700000000", "total: '46.7B'"),
    ("closed vocabulary", "access: gated", "access: public"),
    ("missing field", "access: gated\n", ""),
    ("bad date shape", "released: '2024-01-02'", "released: 'January 2024'"),
    ("bad id", "id: acme-1", "id: Acme_1"),
    ("nested unknown field", "approximate: true", "approximate: true\n  exact: false"),
]


@pytest.mark.parametrize(("case", "old", "new"), INVALID, ids=[case for case, _, _ in INVALID])
def test_json_schema_and_validate_both_reject(tree, case, old, new):
    path = edit(tree, "models/acme-1.yaml", old, new)
    assert 1 == check_jsonschema("models", [path]).returncode
    assert validate_tree(tree, [path])
