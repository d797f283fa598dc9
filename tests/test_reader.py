"""The YAML reader: safe semantics, YAML 1.1 surprises refused, positions kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from owatlas.reader import MAX_BYTES, read_record


def read(tmp_path, content: bytes | str):
    path = tmp_path / "r.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_record(path, "r.yaml", "r")


def test_bom_and_crlf_are_accepted(tmp_path):
    result = read(tmp_path, b"\xef\xbb\xbfid: r\r\nname: R\r\n")
    assert [] == result.problems
    assert {"id": "r", "name": "R"} == result.document.data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-08-05", "2025-08-05"),  # dates stay text
        ("2025-08-05T10:00:00Z", "2025-08-05T10:00:00Z"),
        ("'NO'", "NO"),
        ("'1.10'", "1.10"),
        ("42", 42),
        ("-7", -7),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ("true", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("y2k", "y2k"),
        ("Kimi K2", "Kimi K2"),
    ],
)
def test_plain_scalars_keep_their_meaning(tmp_path, text, expected):
    result = read(tmp_path, f"value: {text}\n")
    assert [] == result.problems
    assert expected == result.document.data["value"]


@pytest.mark.parametrize("text", ["NO", "yes", "Off", "y", "1.10", "0123", "12:30", "0x1F", "0o14", "1_000", "1e3", ".inf", ".NaN"])
def test_yaml_11_surprises_are_errors_not_data(tmp_path, text):
    result = read(tmp_path, f"value: {text}\n")
    assert result.document is None
    assert ["ambiguous-scalar"] == [p.code for p in result.problems]
    assert f"write '{text}' in quotes" in result.problems[0].message


def test_positions_are_kept_for_nested_values_and_keys(tmp_path):
    result = read(tmp_path, "id: r\nparameters:\n  total: 7\nsources:\n  - url: x\n")
    assert (3, 10) == (result.document.position(("parameters", "total")).line, result.document.position(("parameters", "total")).column)
    assert (5, 10) == (result.document.position(("sources", 0, "url")).line, result.document.position(("sources", 0, "url")).column)
    assert (3, 3) == (result.document.key_position(("parameters", "total")).line, result.document.key_position(("parameters", "total")).column)


def test_every_duplicate_key_is_reported(tmp_path):
    result = read(tmp_path, "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
    assert [("a", 2), ("b.c", 5)] == [(p.field, p.line) for p in result.problems]


def test_file_over_the_size_cap_is_refused_unread(tmp_path):
    result = read(tmp_path, "a: " + "x" * MAX_BYTES + "\n")
    assert ["file-too-large"] == [p.code for p in result.problems]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", "too-deep"),
        ("a:\n" + "- " * 300_000 + "x\n", "too-deep"),  # crashes yaml-rs, which must not see it
        ("a:\n" + "? " * 300_000 + "x\n", "complex-key"),
    ],
)
def test_deep_nesting_is_refused_without_recursion_error_or_crash(tmp_path, text, code):
    # In a child process: a parser that overflows its stack kills the process, not just the test.
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    script = "import sys; from owatlas.reader import read_record; print(*[p.code for p in read_record(sys.argv[1], 'r.yaml', 'r').problems])"
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert (0, code) == (result.returncode, result.stdout.strip()), result.stderr


def test_symlinked_record_is_refused_and_its_target_unread(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n")
    link = tmp_path / "r.yaml"
    link.symlink_to(secret)
    result = read_record(link, "r.yaml", "r")
    assert ["not-a-file"] == [p.code for p in result.problems]
    assert "hunter2" not in result.problems[0].message


def test_complex_keys_are_refused(tmp_path):
    result = read(tmp_path, "? [a, b]\n: 1\n")
    assert ["complex-key"] == [p.code for p in result.problems]
