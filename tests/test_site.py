"""The explorer site in a real headless browser, and the SQLite export."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit

from owatlas.cli import main

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def invoke(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert 0 == result.exit_code, result.output
    return result


@pytest.fixture
def site(tree) -> Path:
    invoke("build")
    invoke("site")
    return tree / "build" / "site"


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    opened.requests = []
    opened.on("request", lambda request: opened.requests.append(request.url))
    yield opened
    context.close()


def test_site_has_a_page_for_every_record(tree, site):
    for table in ("models", "companies", "licences", "quotes"):
        ids = {path.stem for path in (tree / "records" / table).glob("*.yaml")}
        assert ids == {path.stem for path in (site / table).glob("*.html")}, table
    assert {"releases-by-quarter.svg", "licence-kinds-by-year.svg", "parameters-over-time.svg", "openness-by-country.svg", "frontier-acme-bench.svg"} == {p.name for p in (site / "figures").iterdir()}


def test_site_loads_nothing_from_elsewhere(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html), path


def test_models_table_lists_every_model_and_search_filters_it(site, page):
    page.goto((site / "index.html").as_uri())
    assert 2 == page.locator("#models tbody tr").count()
    assert "2 models" == page.locator("#count").inner_text()
    page.fill("#search", "mini")
    assert ["Acme-1 Mini"] == page.locator("#models tbody tr:visible td:first-child").all_inner_texts()
    assert "1 model" == page.locator("#count").inner_text()
    page.fill("#search", "")
    assert 2 == page.locator("#models tbody tr:visible").count()
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_sorting_by_a_column(site, page):
    page.goto((site / "index.html").as_uri())
    header = page.locator("#models thead th").nth(4)
    header.locator("button").click()
    assert "ascending" == header.get_attribute("aria-sort")
    assert ["Acme-1 Mini", "Acme-1"] == page.locator("#models tbody td:first-child").all_inner_texts()
    header.locator("button").click()
    assert ["Acme-1", "Acme-1 Mini"] == page.locator("#models tbody td:first-child").all_inner_texts()


def test_a_model_page_links_its_sources(site, page):
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Acme-1 Mini").click()
    assert "Acme-1 Mini" == page.locator("h1").inner_text()
    source = page.locator("ol.sources a").first
    assert "https://example.org/acme-1-mini" == source.get_attribute("href")
    assert "Backs:" in page.locator("ol.sources li").first.inner_text()


def test_a_model_page_shows_licence_timeline_variants_and_openness(site, page):
    page.goto((site / "models" / "acme-1.html").as_uri())
    timeline = page.locator("section", has=page.locator("h2", has_text="Licence timeline")).locator("tbody tr")
    assert ["2024-01-02\tAcme Research Licence\tfirst release of the weights", "2024-06\tAcme Open Model Licence\tsource of the change"] == timeline.all_inner_texts()
    weights = page.locator("section", has=page.locator("h2", has_text="Weights")).locator("tbody tr")
    assert ["acme/acme-1\tbase\tAcme Open Model Licence", "https://acme.example/weights/acme-1.tar\tinstruct\tAcme Research Licence"] == weights.all_inner_texts()
    grid = page.locator("table.grades tbody tr")
    assert 13 == grid.count()
    assert "open" == page.locator("table.grades td.grade-open").first.inner_text()
    assert ["Training data\tpartial"] == grid.filter(has_text="Training data").all_inner_texts()
    assert 5 == page.locator("table.grades td.grade-unknown").count()


def test_each_chart_draws(site, page):
    page.goto((site / "index.html").as_uri())
    figures = page.locator("figure.chart")
    assert 5 == figures.count()
    for index in range(5):
        svg = figures.nth(index).locator("svg")
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 100
        assert svg.locator("rect[height]:not([width='100%']), circle").count() > 0
        assert svg.locator("title").first.text_content()


def test_usable_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    phone.goto((site / "index.html").as_uri())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(site.parent / "phone.png"), full_page=False)
    context.close()


def test_sqlite_export_round_trips_every_row_with_keys_and_search(tree):
    invoke("build")
    invoke("export", "sqlite", "atlas.db")
    database = sqlite3.connect(tree / "atlas.db")
    assert [] == database.execute("PRAGMA foreign_key_check").fetchall()
    package = json.loads((tree / "build" / "datapackage.json").read_text())
    for resource in package["resources"]:
        with open(tree / "build" / resource["path"], newline="", encoding="utf-8") as stream:
            expected = [tuple(row.values()) for row in csv.DictReader(stream)]
        actual = [tuple(_csv_form(value, field) for value, field in zip(row, resource["schema"]["fields"], strict=True)) for row in database.execute(f'SELECT * FROM "{resource["name"]}"')]
        assert expected == actual, resource["name"]
    found = database.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'stay'").fetchall()
    assert 1 == len(found)
    assert database.execute("SELECT name FROM models_fts WHERE models_fts MATCH 'mini'").fetchall() == [("Acme-1 Mini",)]
    metadata = json.loads((tree / "metadata.json").read_text())
    assert "CC-BY-4.0" == metadata["license"]
    assert "quotes_fts" == metadata["databases"]["atlas"]["tables"]["quotes"]["fts_table"]
    assert metadata["databases"]["atlas"]["tables"]["models"]["columns"]["licence"]


def _csv_form(value, field) -> str:
    if value is None:
        return ""
    if field["type"] == "boolean":
        return "true" if value else "false"
    return str(value)


def test_site_refuses_a_missing_release(tree):
    result = CliRunner().invoke(main, ["site"])
    assert 1 == result.exit_code
    assert "no release at build: run `owatlas build` first" in result.stderr


def test_a_licence_page_tells_a_term_the_text_lacks_from_an_unknown_one(tree, page):
    edit(tree, "licences/acme-research-licence.yaml", "commercial_use: false\n", "commercial_use: false\nabsent_terms: [attribution]\n")
    edit(tree, "licences/acme-research-licence.yaml", "osi_approved, commercial_use]", "osi_approved, commercial_use, absent_terms]")
    invoke("build")
    invoke("site")
    page.goto((tree / "build" / "site" / "licences" / "acme-research-licence.html").as_uri())
    facts = dict(zip(page.locator("dl.facts dt").all_inner_texts(), page.locator("dl.facts dd").all_inner_texts(), strict=True))
    assert ("none in the licence text", "unknown") == (facts["Attribution or naming"], facts["Restricts training other models on outputs"])
