"""Property-based tests: what holds for every record and every input, not just the examples."""

from __future__ import annotations

import datetime as dt
import os
import json
import string
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from conftest import MINI_TREE, render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from owatlas.fmt import format_text
from owatlas.reader import read_record
from owatlas.release import build_release
from owatlas.dates import as_written
from owatlas.diff import DERIVED
from owatlas.schema import GRADED, Model
from owatlas.validate import validate_tree

SETTINGS = settings(max_examples=int(os.environ.get("OWATLAS_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as contributors write it: any printable characters, quotes and newlines included, but not
# leading or trailing blanks or a leading formula character (which validation refuses).
characters = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\"'#:,[]{}&*!|>%@`")
text = st.text(characters, min_size=1, max_size=40).map(str.strip).filter(lambda t: t and not t.startswith(("=", "+", "-", "@")))
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 1, 1)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
)
counts = st.integers(min_value=1, max_value=10**13)


@st.composite
def model_records(draw) -> dict:
    total = draw(st.none() | counts)
    moe = draw(st.booleans()) and total is not None
    record = {
        "id": "gen-" + draw(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)),
        "name": draw(text),
        "family": draw(text),
        "developers": draw(st.sampled_from([["acme"], ["acme-labs"], ["acme", "acme-labs"]])),
        "released": draw(dates),
        "parameters": {"total": total, "active": draw(st.integers(1, total)) if moe else None, "approximate": draw(st.booleans())},
        "architecture": "moe" if moe else draw(st.sampled_from(["dense", None])),
        "modalities": {"input": sorted(draw(st.sets(st.sampled_from(["text", "image", "audio", "video"]), min_size=1))), "output": ["text"]},
        "context_length": draw(st.none() | counts),
        "licence": "acme-licence",
        "weights": [
            {"repository": f"acme/model-{index}", "variant": variant}
            for index, variant in enumerate(draw(st.lists(st.sampled_from(["base", "instruct", "reasoning", "other"]), max_size=3)))
        ],
        "access": draw(st.sampled_from(["open", "gated"])),
        "openness": draw(st.fixed_dictionaries({}, optional={name: st.sampled_from(["open", "partial", "closed"]) for name in GRADED})),
        "notes": draw(st.none() | text),
    }
    if not record["weights"]:
        del record["weights"]
    if not record["openness"]:
        del record["openness"]
    facts = [name for name, value in record.items() if name not in ("id", "family", "notes") and value is not None]
    facts = [name for name in facts if not (name == "parameters" and total is None)]
    if total is None:
        record["parameters"] = {"approximate": record["parameters"]["approximate"]}
    source = {"url": "https://example.org/gen", "title": draw(text), "publisher": draw(text), "accessed": "2026-11-01", "supports": facts}
    record["sources"] = [source]
    return record


def mini_tree(folder: Path) -> Path:
    for relative, template in MINI_TREE.items():
        path = folder / "records" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(template), encoding="utf-8")
    return folder


@SETTINGS
@given(model_records())
def test_any_valid_record_survives_read_build_and_load_unchanged(record):
    with tempfile.TemporaryDirectory() as folder:
        root = mini_tree(Path(folder))
        (root / "records" / "models" / f"{record['id']}.yaml").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        result = build_release(root, root / "build", refresh_sources=False)
        assert [] == [problem.text() for problem in result.problems]
        rows = pq.ParquetFile(root / "build" / "parquet" / "models.parquet").read().to_pylist()
        weights = pq.ParquetFile(root / "build" / "parquet" / "model_weights.parquet").read().to_pylist()
    model = Model.model_validate(record)
    row = as_written(next(row for row in rows if row["id"] == record["id"]))
    assert model.model_dump(exclude={"sources", "weights", "licence_changes", "evaluations"}) == {key: value for key, value in row.items() if key not in DERIVED}
    expected_weights = [{"repository": w.repository, "variant": w.variant, "licence": None, "licence_in_force": "acme-licence"} for w in model.weights]
    assert expected_weights == [{key: w[key] for key in ("repository", "variant", "licence", "licence_in_force")} for w in weights if w["model_id"] == record["id"]]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_end_in_a_record_or_clean_problems(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(data)
        result = read_record(path, "x.yaml", "x")
    assert (result.document is None) == bool(result.problems)
    assert all(problem.line >= 1 and problem.column >= 1 and problem.code for problem in result.problems)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_in_the_tree_give_problems_not_exceptions(data):
    with tempfile.TemporaryDirectory() as folder:
        root = mini_tree(Path(folder))
        (root / "records" / "models" / "fuzz.yaml").write_bytes(data)
        problems = validate_tree(root)
    assert all(problem.path == "records/models/fuzz.yaml" for problem in problems)
    assert problems, "random bytes never make a valid model record"


@SETTINGS
@given(model_records())
def test_fmt_is_idempotent_and_keeps_meaning(record):
    text = json.dumps(record, ensure_ascii=False, indent=1)
    once = format_text(text, Model)
    assert once == format_text(once, Model)
    with tempfile.TemporaryDirectory() as folder:
        original, formatted = Path(folder) / "a.yaml", Path(folder) / "b.yaml"
        original.write_text(text, encoding="utf-8")
        formatted.write_text(once, encoding="utf-8")
        before = read_record(original, "a", "a").document.data
        after = read_record(formatted, "b", "b").document.data
    assert before == after
