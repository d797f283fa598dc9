"""Every recipe of docs/cookbook.md runs against a release of the atlas's own records."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from owatlas import loader
from owatlas.release import build_release

ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = ROOT / "docs" / "cookbook.md"
RECIPES = re.findall(r"^## (.+?)\n.*?^```python\n(.*?)^```", COOKBOOK.read_text(encoding="utf-8"), flags=re.S | re.M)


@pytest.fixture(scope="module")
def atlas_release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "release"
    assert [] == build_release(ROOT, out, refresh_sources=False).problems
    return out


def test_the_cookbook_has_its_recipes():
    assert len(RECIPES) >= 8


@pytest.mark.parametrize(("title", "code"), RECIPES, ids=[title for title, _ in RECIPES])
def test_recipe_runs_on_the_release(atlas_release, monkeypatch, title, code):
    monkeypatch.setattr(loader, "bundled_release", lambda: atlas_release)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, title, "exec"), {})
    assert printed.getvalue().strip(), f"recipe {title!r} printed nothing"


def test_help_of_load_describes_the_evaluations_columns():
    import owatlas

    doc = owatlas.load.__doc__
    assert "evaluations" in doc and "score_text" in doc and "independent" in doc and "benchmarks" in doc
