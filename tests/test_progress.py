"""A progress bar on a terminal for large trees, and none when the output is piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402

COMMAND = [sys.executable, "-c", "from owatlas.cli import main; main()", "validate"]


@pytest.fixture(scope="module")
def large_tree(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    generate(2100, folder)
    return folder


def on_terminal(folder: Path) -> str:
    pid, descriptor = pty.fork()
    if pid == 0:
        os.chdir(folder)
        os.environ.pop("CI", None)
        os.execv(COMMAND[0], COMMAND)
    output = b""
    while True:
        try:
            chunk = os.read(descriptor, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    return output.decode("utf-8", "replace")


def test_a_terminal_sees_a_progress_bar(large_tree):
    output = on_terminal(large_tree)
    assert "reading records" in output
    assert "owatlas validate: all records are valid" in output


def test_piped_output_has_no_progress_bar(large_tree):
    result = subprocess.run(COMMAND, cwd=large_tree, capture_output=True, text=True, env=os.environ | {"CI": ""})
    assert 0 == result.returncode
    assert "reading records" not in result.stdout + result.stderr
