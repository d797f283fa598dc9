"""Each cross-record rule, and each kind of schema error: exact code, place and message."""

from __future__ import annotations

from conftest import edit, write

from owatlas.checks import RULES
from owatlas.validate import validate_tree


def only_problem(tree, files=None):
    problems = validate_tree(tree, files)
    assert len(problems) == 1, "\n".join(p.text() for p in problems)
    return problems[0]


def test_mini_tree_is_valid(tree):
    assert [] == validate_tree(tree)


def test_every_rule_has_a_docstring_that_states_it():
    for rule in RULES:
        assert " must " in (rule.__doc__ or ""), rule.__name__


def test_id_must_match_file_name(tree):
    edit(tree, "models/acme-1-mini.yaml", "id: acme-1-mini", "id: acme-one-mini")
    problem = only_problem(tree)
    assert ("records/models/acme-1-mini.yaml", 1, 5, "acme-1-mini", "id") == (problem.path, problem.line, problem.column, problem.record, problem.field)
    assert "id must equal the file name: expected 'acme-1-mini', found 'acme-one-mini'; rename the file or fix the id" == problem.message
    assert "id-mismatch" == problem.code


def test_two_records_with_one_id_are_both_reported(tree):
    write(tree, "models/acme-2.yaml", (tree / "records/models/acme-1-mini.yaml").read_text())
    problems = validate_tree(tree)
    assert {("acme-2", "id-mismatch"), ("acme-1-mini", "duplicate-id"), ("acme-2", "duplicate-id")} == {(p.record, p.code) for p in problems}


def test_reference_must_resolve(tree):
    edit(tree, "models/acme-1.yaml", "code_licence: acme-licence", "code_licence: acme-license")
    problem = only_problem(tree)
    assert (22, 15, "code_licence") == (problem.line, problem.column, problem.field)
    assert "unknown licence 'acme-license'; expected an id in records/licences/; did you mean 'acme-licence'?" == problem.message
    assert "unknown-reference" == problem.code


def test_reference_inside_a_list_names_the_item(tree):
    edit(tree, "quotes/jane-open-weights.yaml", "companies: [acme, acme-labs]", "companies: [acme, nobody]")
    problem = only_problem(tree)
    assert ("about.companies[1]", "unknown company 'nobody'; expected an id in records/companies/") == (problem.field, problem.message)


def test_record_must_not_refer_to_itself(tree):
    edit(tree, "models/acme-1-mini.yaml", "base_model: acme-1", "base_model: acme-1-mini")
    problem = only_problem(tree)
    assert ("base_model", "self-reference", "a record must not refer to itself; found 'acme-1-mini'") == (problem.field, problem.code, problem.message)


def test_references_must_not_form_a_cycle(tree):
    edit(tree, "companies/acme.yaml", "parent: null", "parent: acme-labs")
    edit(tree, "companies/acme.yaml", "founded, website]", "founded, website, parent]")
    problems = validate_tree(tree)
    assert ["reference-cycle", "reference-cycle"] == [p.code for p in problems]
    assert "references must not form a cycle; found acme -> acme-labs -> acme" == problems[1].message


def test_active_must_not_exceed_total(tree):
    edit(tree, "models/acme-1.yaml", "active: 12900000000", "active: 99900000000")
    problem = only_problem(tree)
    assert ("parameters.active", "active-exceeds-total") == (problem.field, problem.code)
    assert "active parameters must not exceed total; found active 99900000000 > total 46700000000" == problem.message


def test_active_only_for_mixture_of_experts(tree):
    edit(tree, "models/acme-1.yaml", "architecture: moe", "architecture: dense")
    problem = only_problem(tree)
    assert ("parameters.active", "active-on-dense") == (problem.field, problem.code)


def test_dates_must_not_be_in_the_future(tree):
    edit(tree, "models/acme-1-mini.yaml", "released: 2024", "released: '2999-01'")
    problem = only_problem(tree)
    assert ("released", "future-date", "date must not be in the future; found '2999-01'") == (problem.field, problem.code, problem.message)


def test_supports_must_name_a_known_field(tree):
    edit(tree, "models/acme-1-mini.yaml", "access, base_model]", "access, base_model, licnce]")
    problem = only_problem(tree)
    assert "sources[0].supports[9]" == problem.field
    assert "supports must name a field of a models record; found 'licnce'; did you mean 'licence'?" == problem.message
    assert "unknown-supported-field" == problem.code


def test_supports_must_name_a_filled_field(tree):
    edit(tree, "models/acme-1-mini.yaml", "access, base_model]", "access, base_model, context_length]")
    problem = only_problem(tree)
    assert ("supports-empty-field", "supports must name a field the record fills; 'context_length' is empty here") == (problem.code, problem.message)


def test_every_fact_needs_a_source(tree):
    edit(tree, "models/acme-1-mini.yaml", "licence, access, base_model]", "licence, base_model]")
    problem = only_problem(tree)
    assert ("access", "unsourced-field") == (problem.field, problem.code)
    assert problem.message.startswith("a filled field must be backed by a source; add 'access' to the supports")


def test_editorial_fields_need_no_source(tree):
    edit(tree, "quotes/jane-open-weights.yaml", "topics: [open-weights, us-china]", "topics: [open-weights, us-china, policy]")
    assert [] == validate_tree(tree)


def test_direct_quote_needs_a_source_for_its_text(tree):
    edit(tree, "quotes/jane-open-weights.yaml", "supports: [text, speaker, said]", "supports: [speaker, said]")
    problems = validate_tree(tree)
    assert {"direct-quote-unsourced", "unsourced-field"} == {p.code for p in problems}


def test_list_items_must_be_unique(tree):
    edit(tree, "models/acme-1.yaml", "input: [text, image]", "input: [text, image, text]")
    problem = only_problem(tree)
    assert ("modalities.input[2]", "duplicate-item", "list items must be unique; found 'text' again") == (problem.field, problem.code, problem.message)


def test_unknown_field_points_at_the_key_and_suggests(tree):
    edit(tree, "models/acme-1.yaml", "context_length: 32768", "context_lenght: 32768")
    problem = only_problem(tree)
    assert (15, 1, "context_lenght", "unknown-field") == (problem.line, problem.column, problem.field, problem.code)
    assert problem.message.endswith("did you mean 'context_length'?")


def test_missing_field_points_at_the_parent(tree):
    edit(tree, "models/acme-1.yaml", "access: gated\n", "")
    problem = only_problem(tree)
    assert ("access", "missing-field", "required field is missing", 1, 1) == (problem.field, problem.code, problem.message, problem.line, problem.column)


def test_wrong_type_says_what_was_found(tree):
    edit(tree, "models/acme-1.yaml", "total: 46700000000", "total: '46.7B'")
    problem = only_problem(tree)
    assert ("parameters.total", "wrong-type", "expected an integer; found '46.7B'") == (problem.field, problem.code, problem.message)


def test_vocabulary_values_are_closed(tree):
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    problem = only_problem(tree)
    assert ("invalid-value", "expected one of 'open' or 'gated'; found 'public'") == (problem.code, problem.message)


def test_impossible_date(tree):
    edit(tree, "models/acme-1.yaml", "released: '2024-01-02'", "released: '2025-02-30'")
    problem = only_problem(tree)
    assert ("released", "invalid-date", "'2025-02-30' is not a real date") == (problem.field, problem.code, problem.message)


def test_country_is_checked_against_iso_3166(tree):
    edit(tree, "companies/acme.yaml", "country: 'NO'", "country: XX")
    problem = only_problem(tree)
    assert ("country", "invalid-country") == (problem.field, problem.code)


def test_url_must_be_http(tree):
    edit(tree, "companies/acme.yaml", "website: https://acme.example/", "website: javascript:alert(1)")
    problem = only_problem(tree)
    assert ("website", "invalid-url") == (problem.field, problem.code)


def test_parameter_counts_must_be_positive(tree):
    edit(tree, "models/acme-1-mini.yaml", "total: 7241732096", "total: -7")
    problem = only_problem(tree)
    assert ("parameters.total", "out-of-range", "expected a number greater than 0; found the number -7") == (problem.field, problem.code, problem.message)


def test_validating_one_file_still_resolves_references_against_the_tree(tree):
    target = edit(tree, "models/acme-1-mini.yaml", "licence: acme-licence", "licence: gone")
    edit(tree, "models/acme-1.yaml", "access: gated", "access: public")
    problem = only_problem(tree, [target])
    assert ("acme-1-mini", "unknown-reference") == (problem.record, problem.code)


def test_a_file_outside_records_is_refused(tree):
    stray = tree / "stray.yaml"
    stray.write_text("id: stray\n")
    problem = only_problem(tree, [stray])
    assert ("stray.yaml", "not-a-record-file") == (problem.path, problem.code)


def test_unexpected_entries_in_records_are_reported(tree):
    write(tree, "models/notes.txt", "hello")
    write(tree, "people/someone.yaml", "id: someone")
    problems = validate_tree(tree)
    assert [("records/models/notes.txt", "not-a-record-file"), ("records/people", "unknown-table")] == [(p.path, p.code) for p in problems]


RETIRED = """\
models:
  - id: acme-0
    retired: '2026-01-05'
    reason: duplicate of acme-1
    replaced_by: acme-1
"""


def test_a_retired_id_cannot_come_back(tree):
    (tree / "records" / "retired.yaml").write_text(RETIRED.replace("acme-0", "acme-1-mini").replace("replaced_by: acme-1", "replaced_by: null"))
    problem = only_problem(tree)
    assert ("acme-1-mini", "id", "retired-id") == (problem.record, problem.field, problem.code)
    assert "id must not be reused: 'acme-1-mini' was retired from models on 2026-01-05 (duplicate of acme-1); choose another id" == problem.message


def test_a_reference_to_a_retired_id_says_what_to_use_instead(tree):
    (tree / "records" / "retired.yaml").write_text(RETIRED)
    edit(tree, "models/acme-1-mini.yaml", "base_model: acme-1", "base_model: acme-0")
    problem = only_problem(tree)
    assert ("base_model", "retired-reference") == (problem.field, problem.code)
    assert "'acme-0' was retired from models on 2026-01-05 (duplicate of acme-1); use 'acme-1' instead" == problem.message


def test_retirements_must_point_to_existing_records(tree):
    (tree / "records" / "retired.yaml").write_text(RETIRED.replace("replaced_by: acme-1", "replaced_by: acme-9"))
    problem = only_problem(tree)
    assert ("records/retired.yaml", 5, 18, "models[0].replaced_by", "unknown-reference") == (problem.path, problem.line, problem.column, problem.field, problem.code)


def test_the_retirements_file_is_checked_like_a_record(tree):
    (tree / "records" / "retired.yaml").write_text(RETIRED.replace("reason:", "why:"))
    problems = validate_tree(tree)
    assert {"unknown-field", "missing-field"} == {p.code for p in problems}


def test_future_dates_are_caught_in_optional_and_nested_fields(tree):
    edit(tree, "companies/acme.yaml", "founded: '2020-05'", "founded: '2999'")
    edit(tree, "quotes/jane-open-weights.yaml", "said: '2024-02'", "said: '2999-02'")
    edit(tree, "models/acme-1.yaml", "    accessed: '2026-11-01'", "    accessed: '2999-11-01'")
    problems = validate_tree(tree)
    assert {("acme", "founded"), ("jane-open-weights", "said"), ("acme-1", "sources[0].accessed")} == {(p.record, p.field) for p in problems}
    assert {"future-date"} == {p.code for p in problems}


def test_repeated_sources_are_caught(tree):
    path = tree / "records" / "models" / "acme-1-mini.yaml"
    text = path.read_text()
    first = text.index("  - url:")
    source = text[first : text.index("  - url:", first + 1)]  # the first of its two sources
    path.write_text(text.replace(source, source + source))
    problem = only_problem(tree)
    assert ("sources[1]", "duplicate-item", "list items must be unique; this one repeats an earlier one") == (problem.field, problem.code, problem.message)


def test_a_file_named_twice_is_read_once(tree):
    path = tree / "records/models/acme-1.yaml"
    assert [] == validate_tree(tree, [path, path])


def test_score_scale_is_checked_when_only_the_model_file_is_validated(tree):
    edit(tree, "models/acme-1-mini.yaml", "score: '61.50'", "score: '161.50'")
    problems = validate_tree(tree, [tree / "records/models/acme-1-mini.yaml"])
    assert [("evaluations[0].score", "score-out-of-scale")] == [(problem.field, problem.code) for problem in problems]
