"""owatlas stats: the numbers behind the questions the atlas exists to answer."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import edit

from owatlas.cli import main


def stats(*args):
    return CliRunner().invoke(main, ["stats", *args], catch_exceptions=False)


def test_stats_json_counts_the_mini_tree(tree):
    result = json.loads(stats("--format", "json").stdout)
    assert {"models": 2, "developers": 2, "developer countries": 1, "companies": 2, "licences": 2, "quotes": 1} == result["totals"]
    assert {"NO": 2} == result["models_by_country"]
    assert {"2024": {"other": 2}} == result["models_by_year"]
    assert {"models": 0, "of": 2} == result["models_under_osi_approved_licences"]
    assert {"moe": 1, "dense": 1} == result["models_by_architecture"]


def test_country_is_the_lead_developers_top_level_parent(tree):
    edit(tree, "companies/acme-labs.yaml", "parent: acme", "parent: null")
    edit(tree, "companies/acme-labs.yaml", "country, parent]", "country]")
    edit(tree, "models/acme-1-mini.yaml", "developers: [acme]", "developers: [acme-labs]")
    result = json.loads(stats("--format", "json").stdout)
    assert {"NO": 1, "US": 1} == result["models_by_country"]
    assert {"2024": {"US": 1, "other": 1}} == result["models_by_year"]


def test_stats_text_shows_each_section(tree):
    text = stats().stdout
    for heading in ("Models under OSI-approved licences: 0 of 2 (0.0%)", "Open-weight releases per year", "  2024  US   0   CN   0   other   2   total   2", "Models by licence kind", "  restricted                      2  100.0%"):
        assert heading in text


def test_stats_refuses_invalid_records(tree):
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    result = stats()
    assert 1 == result.exit_code
    assert "owatlas stats: 1 problem in 1 file\n" == result.stderr


def test_a_licence_counts_as_read_once_every_term_is_filled_or_named_absent(tree):
    assert {"licences": 0, "of": 2} == json.loads(stats("--format", "json").stdout)["licences_with_every_term_read"]
    edit(tree, "licences/acme-licence.yaml", "excluded_territories: [EU]\n", "excluded_territories: [EU]\nabsent_terms: [monthly_revenue_threshold_usd]\n")
    edit(tree, "licences/acme-licence.yaml", "restricts_output_training, excluded_territories]", "restricts_output_training, excluded_territories, absent_terms]")
    assert {"licences": 1, "of": 2} == json.loads(stats("--format", "json").stdout)["licences_with_every_term_read"]
    absent = "absent_terms: [mau_threshold, monthly_revenue_threshold_usd, attribution, acceptable_use_policy]\n"
    edit(tree, "licences/acme-research-licence.yaml", "commercial_use: false\n", "commercial_use: false\nrestricts_output_training: false\n" + absent)
    edit(tree, "licences/acme-research-licence.yaml", "osi_approved, commercial_use]", "osi_approved, commercial_use, restricts_output_training, absent_terms]")
    result = stats()
    assert "Licences with every term read (filled or named in absent_terms): 2 of 2 (100.0%)" in result.stdout


def test_quotes_are_counted_by_the_speakers_country_and_date_precision(tree):
    counts = json.loads(stats("--format", "json").stdout)["quotes"]
    assert {"by speakers elsewhere": 1, "dated": 1, "dated to the day": 0, "direct": 1} == counts
    edit(tree, "quotes/jane-open-weights.yaml", "said: '2024-02'", "said: '2024-02-14'")
    edit(tree, "quotes/jane-open-weights.yaml", "company: acme", "company: null")
    counts = json.loads(stats("--format", "json").stdout)["quotes"]
    assert {"by speakers with no organisation": 1, "dated": 1, "dated to the day": 1, "direct": 1} == counts
