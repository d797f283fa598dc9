"""The yaml-rs path must read a file exactly as the precise libyaml path does, or leave it alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINI_TREE, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from owatlas.plainyaml import parse
from owatlas.reader import MAX_DEPTH, _Builder, _Stop

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=int(os.environ.get("OWATLAS_EXAMPLES", "30")) * 20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML syntax, including what YAML 1.1 (libyaml) and 1.2 (yaml-rs) read differently.
PIECES = [
    "a", "b", "x", "0", "1", "12", "-1", "1.0", "0123", "0x1F", "1_000", "_1", " ", "  ", "\n", "\n  ", "\n- ", ":", ": ",
    "- ", "-", "[", "]", "{", "}", ", ", ",", "'", '"', "''", "#", " #", "? ", "|", ">", "|-\n", ">-\n", "|2", ">+", "%",
    "@", "`", "\\", "\\n", "\\x41", "\\u263a", "\\/", "---", "...", "~", "null", "True", "NO", "yes", "12:30", ".inf", "é",
    "月", "\u00a0", "\u2028", "\x85", "\t", "\r", "\x01", "_", "https://x.org/a?b=1#c", "2025-08-05", "'2024'", "!", "&a", "*a",
]
bodies = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join)
documents = st.one_of(
    bodies,
    bodies.map(lambda body: f"a: {body}\n"),
    bodies.map(lambda body: f"a: [{body}]\n"),
    bodies.map(lambda body: f"a: >-\n  {body.replace(chr(10), chr(10) + '  ')}\nb: c\n"),
    bodies.map(lambda body: f'a: "{body}"\n'),
    bodies.map(lambda body: f"a:\n  b: {body}\nc: d\n"),
)


def precise(text: str):
    """The data and problems of the libyaml path, which keeps every position."""
    builder = _Builder("r.yaml", "r")
    try:
        document = builder.build(text)
    except _Stop:
        return None, builder.problems
    return document.data, builder.problems


def assert_agree(text: str) -> None:
    fast = parse(text, MAX_DEPTH)
    if fast is not None:
        data, problems = precise(text)
        assert [] == [problem.message for problem in problems], repr(text)
        assert data == fast, repr(text)


@given(documents)
@SETTINGS
def test_yaml_rs_reads_what_libyaml_reads_or_nothing(text):
    assert_agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: [_:]\n",  # YAML 1.2 reads an implicit key in a flow list; libyaml refuses it
        "a: [:0]\n",
        "a: |2 \n",  # block scalars at the end of the text keep different line breaks
        "a: |1\n  x",
        "a: >\n  \n  x\n",
        "a: 0123\n",  # integers YAML 1.2 reads and our rules refuse
        "a: 1_000\n",
        "a: _1\n",
        "a: +0o7\n",
        "a: x\x85y\n",  # a line break for libyaml, text for yaml-rs
        "a: x\u2028y\n",
        "a: x\x01\n",
        "a: !foo x\n",
        "a: &x 1\nb: *x\n",
        "a: 1\n---\nb: 2\n",
    ],
)
def test_known_differences_between_the_parsers_are_left_to_libyaml(text):
    assert_agree(text)


def test_quoted_text_that_looks_like_a_number_or_a_boolean_takes_the_fast_path():
    text = "founded: '2022'\ncount: '42'\nflag: 'true'\nempty: ''\nnothing: null\nsize: 7\n"
    assert {"founded": "2022", "count": "42", "flag": "true", "empty": "", "nothing": None, "size": 7} == parse(text, MAX_DEPTH)


def test_records_as_contributors_write_them_take_the_fast_path():
    for name, content in MINI_TREE.items():
        text = render(content)
        assert parse(text, MAX_DEPTH) is not None, name
        assert_agree(text)


def test_every_record_of_the_atlas_reads_alike_both_ways():
    paths = sorted((ROOT / "records").glob("*/*.yaml"))
    assert len(paths) > 100
    for path in paths:
        assert_agree(path.read_text(encoding="utf-8"))
