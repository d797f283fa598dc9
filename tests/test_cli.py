"""The command line: formats, exit codes, help."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from conftest import edit

from owatlas.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_clean_tree_validates_with_exit_0(tree):
    result = invoke("validate")
    assert (0, "", "owatlas validate: all records are valid\n") == (result.exit_code, result.stdout, result.stderr)


def test_all_problems_are_printed_at_once_with_a_count(tree):
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    edit(tree, "companies/acme.yaml", "country: 'NO'", "country: NO")
    result = invoke("validate")
    assert 1 == result.exit_code
    assert 2 == len(result.stdout.splitlines())
    assert "owatlas validate: 2 problems in 2 files\n" == result.stderr


def test_github_format_prints_annotations(tree):
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    result = invoke("validate", "--format", "github")
    expected = "::error file=records/models/acme-1.yaml,line=30,col=9,title=invalid-value::acme-1: access: expected one of 'open' or 'gated'; found 'public'\n"
    assert expected == result.stdout


def test_json_format_prints_one_object_per_line(tree):
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    result = invoke("validate", "--format", "json")
    problem = json.loads(result.stdout.splitlines()[0])
    assert {"path": "records/models/acme-1.yaml", "line": 30, "column": 9, "record": "acme-1", "field": "access", "code": "invalid-value"} == {k: v for k, v in problem.items() if k != "message"}


def test_outside_a_checkout_the_error_says_where_to_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("validate")
    assert 1 == result.exit_code
    assert "no records/ folder here; run owatlas at the root of a checkout [no-records]" in result.stdout


def test_every_command_has_help():
    for command in main.commands:
        result = invoke(command, "--help")
        assert 0 == result.exit_code and "Usage:" in result.stdout, command


def test_console_script_runs_as_a_module_entry_point(tree):
    result = subprocess.run([sys.executable, "-c", "from owatlas.cli import main; main()", "validate"], capture_output=True, text=True, cwd=tree)
    assert 0 == result.returncode, result.stderr
