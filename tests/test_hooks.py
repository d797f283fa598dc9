"""Pre-commit hooks and CI workflows call real owatlas commands."""

from __future__ import annotations

import yaml
from conftest import ROOT

from owatlas.cli import main


def test_published_hooks_run_owatlas_commands_on_records():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {"owatlas-validate", "owatlas-fmt"} == {hook["id"] for hook in hooks}
    for hook in hooks:
        program, command = hook["entry"].split()
        assert ("owatlas", True) == (program, command in main.commands)
        assert "^records/.*\\.yaml$" == hook["files"]


def test_pull_request_workflow_checks_format_validity_and_tests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert "owatlas fmt --check" in steps
    assert "owatlas validate --format github" in steps
    assert "python -m pytest" in steps
