"""Hub-assisted records: prefill from the Hub, compare with it, list what the atlas lacks; all
against a stand-in Hub on loopback serving recorded answers in the Hub API's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from click.testing import CliRunner
from conftest import ROOT, edit
from fakehub import FakeHub, model_json

from owatlas.cli import main
from owatlas.hub import HUB_LICENCES
from owatlas.hubcheck import is_hub_repo
from owatlas.pipeline import run


@pytest.fixture
def fake_hub(monkeypatch, tmp_path):
    hub = FakeHub()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # read once at import: another test may have imported it offline
    yield hub
    hub.close()


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def consistent_answer(repo: str, **changes) -> dict:
    """acme/acme-1 as the mini tree's record describes it: licence acme-licence, gated, 46.7B parameters."""
    return model_json(repo, **({"licence": "other", "licence_name": "acme-licence", "gated": "manual", "parameters": 46700000000} | changes))


def test_new_model_from_the_hub_fills_what_the_hub_knows(tree, fake_hub):
    fake_hub.add(model_json("acme/acme-2", licence="other", licence_name="acme-licence", gated="auto", parameters=8030261248, pipeline_tag="image-text-to-text", base_model="acme/acme-1"), config={"max_position_embeddings": 131072})
    fake_hub.add(model_json("acme/acme-2-base", licence="other", licence_name="acme-research-licence", parameters=8030261248, created="2025-01-19T08:00:00.000Z"), config={"max_position_embeddings": 131072})
    result = invoke("new", "model", "acme-2", "--from-hf", "acme/acme-2", "--from-hf", "acme/acme-2-base")
    assert 0 == result.exit_code, result.output
    text = (tree / "records/models/acme-2.yaml").read_text()
    assert "# Hub: acme/acme-2 was created on 2025-01-20: a hint, not the release date" in text
    assert "released: null" in text
    assert "total: 8030261248  # safetensors metadata of acme/acme-2" in text
    assert "licence: 'acme-licence'" in text
    assert "access: gated" in text
    assert "context_length: 131072  # config.json of acme/acme-2" in text
    assert "base_model: acme-1  # the Hub card's base_model: acme/acme-1" in text
    assert "input: [image, text]" in text and "output: [text]" in text
    assert "  - repository: 'acme/acme-2-base'\n    variant: null  # base, instruct, reasoning or other: the Hub does not say\n    licence: 'acme-research-licence'" in text
    assert "supports: [access, base_model, context_length, licence, modalities, parameters.total, weights]" in text
    assert "url: 'https://huggingface.co/acme/acme-2-base'" in text

    # The contributor fills only what the Hub cannot know; then the record is valid.
    for old, new in [("name: null", "name: Acme-2"), ("family: null", "family: Acme 2"), ("developers: null", "developers: [acme]"), ("released: null", "released: '2025-02'")]:
        edit(tree, "models/acme-2.yaml", old, new)
    filled = (tree / "records/models/acme-2.yaml").read_text().replace("variant: null", "variant: instruct", 1).replace("variant: null", "variant: base", 1)
    sources_start = filled.index("  - url: null")
    filled = filled[:sources_start] + "  - url: https://acme.example/blog/acme-2\n    title: Acme-2\n    publisher: Acme\n    published: '2025-02-03'\n    accessed: '2026-11-29'\n    supports: [name, developers, released]\nnotes: null\n"
    (tree / "records/models/acme-2.yaml").write_text(filled)
    assert 0 == invoke("fmt", "records/models/acme-2.yaml").exit_code
    validated = invoke("validate", "records/models/acme-2.yaml")
    assert 0 == validated.exit_code, validated.output


def test_an_unmapped_licence_tag_and_no_safetensors_stay_null_with_a_comment(tree, fake_hub):
    fake_hub.add(model_json("acme/odd", licence="other", licence_name="acme-special", parameters=None, pipeline_tag="any-to-any"))
    assert 0 == invoke("new", "model", "odd", "--from-hf", "acme/odd").exit_code
    text = (tree / "records/models/odd.yaml").read_text()
    assert "licence: null  # the Hub's licence tag 'other' (license_name 'acme-special') is not mapped to an atlas licence" in text
    assert "total: null  # the Hub has no safetensors metadata for these repositories" in text
    assert "input: null  # the Hub's pipeline tag 'any-to-any' says nothing certain about modalities" in text
    assert "access: open" in text


def test_new_from_a_missing_repository_writes_nothing(tree, fake_hub):
    result = CliRunner().invoke(main, ["new", "model", "ghost", "--from-hf", "acme/ghost"])
    assert 1 == result.exit_code
    assert f"not on the Hub at {fake_hub.url}: acme/ghost" in result.output
    assert not (tree / "records/models/ghost.yaml").exists()


def test_check_hub_finds_nothing_when_the_hub_agrees(tree, fake_hub):
    fake_hub.add(consistent_answer("acme/acme-1"))
    result = invoke("check-hub")
    assert 0 == result.exit_code, result.output
    assert "owatlas check-hub: the records agree with the Hub\n" == result.stderr


@pytest.mark.parametrize(
    ("changes", "code", "field", "message"),
    [
        ({"licence": "mit", "licence_name": None}, "hub-licence", "licence", "the Hub's licence tag 'mit' means 'mit'; the record says 'acme-licence' for acme/acme-1"),
        ({"licence": "other", "licence_name": "acme-v2"}, "hub-licence-unmapped", "weights[0].repository", "the Hub's licence tag 'other' (license_name 'acme-v2') names no atlas licence; the record says 'acme-licence'"),
        ({"gated": False}, "hub-access", "access", "acme/acme-1 is open on the Hub; the record says access 'gated'"),
        ({"parameters": 56700000000}, "hub-parameters", "parameters.total", "acme/acme-1 has 56,700,000,000 parameters on the Hub (safetensors); the record says 46,700,000,000"),
    ],
)
def test_check_hub_reports_each_difference_with_its_place_and_code(tree, fake_hub, changes, code, field, message):
    fake_hub.add(consistent_answer("acme/acme-1", **changes))
    result = invoke("check-hub", "--format", "json")
    assert 1 == result.exit_code
    [finding] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (code, field, message, "records/models/acme-1.yaml", "acme-1") == (finding["code"], finding["field"], finding["message"], finding["path"], finding["record"])
    assert finding["line"] > 1


def test_check_hub_within_tolerance_and_quantised_copies_are_no_difference(tree, fake_hub):
    fake_hub.add(consistent_answer("acme/acme-1", parameters=46700000000 * 112 // 100))  # approximate: 15% allowed
    assert 0 == invoke("check-hub").exit_code


def test_a_repository_two_records_list_is_compared_on_gating_only(tree, fake_hub):
    """One repository holding two model versions under different licences: its single licence tag and
    parameter count cannot describe both, so only gating (and existence) are compared."""
    edit(tree, "models/acme-1-mini.yaml", "access: open\n", "weights:\n  - repository: acme/acme-1\n    variant: base\n    licence: acme-research-licence\naccess: open\n")
    edit(tree, "models/acme-1-mini.yaml", "base_model]", "base_model, weights]")
    fake_hub.add(consistent_answer("acme/acme-1"))
    result = invoke("check-hub", "--format", "json")
    assert 1 == result.exit_code
    found = [(item["record"], item["code"]) for item in map(json.loads, result.stdout.splitlines())]
    assert [("acme-1-mini", "hub-access")] == found


def test_a_missing_repository_is_a_finding_in_github_format(tree, fake_hub):
    result = invoke("check-hub", "--format", "github")
    assert 1 == result.exit_code
    assert result.stdout.startswith("::error file=records/models/acme-1.yaml,line=")
    assert "title=hub-missing::acme-1: weights[0].repository: repository acme/acme-1 is not on the Hub (missing, renamed or private); the record lists it" in result.stdout


def test_a_hub_that_does_not_answer_in_time_exits_2_with_one_line(tree, fake_hub):
    fake_hub.add(consistent_answer("acme/acme-1"))
    fake_hub.slow.add("/api/models/acme/acme-1")
    fake_hub.SLOW_SECONDS = 3.0
    result = invoke("check-hub", "--timeout", "0.5")
    assert 2 == result.exit_code
    assert [f"owatlas check-hub: cannot reach the Hugging Face Hub at {fake_hub.url}: timed out"] == result.stderr.splitlines()


def test_a_hub_that_goes_away_mid_run_exits_2_without_a_traceback(tree, fake_hub):
    edit(tree, "models/acme-1-mini.yaml", "access: open", "weights:\n  - repository: acme/acme-1-mini\n    variant: base\naccess: open")
    edit(tree, "models/acme-1-mini.yaml", "access, base_model]", "access, base_model, weights]")
    fake_hub.add(consistent_answer("acme/acme-1"))
    fake_hub.add(model_json("acme/acme-1-mini", licence="other", licence_name="acme-licence", parameters=7241732096))
    fake_hub.vanish_at = "/api/models/acme/acme-1-mini"  # the second repository checked: the server is gone
    result = subprocess.run([sys.executable, "-c", "from owatlas.cli import main; main()", "check-hub"], cwd=tree, capture_output=True, text=True, timeout=120)
    assert 2 == result.returncode, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"owatlas check-hub: cannot reach the Hugging Face Hub at {fake_hub.url}: ")
    assert "" == result.stdout


def test_check_hub_new_lists_what_no_record_lists_newest_first(tree, fake_hub):
    fake_hub.add(consistent_answer("acme/acme-1", created="2024-01-02T00:00:00.000Z"))
    fake_hub.add(model_json("acme/Acme-3-Instruct", created="2026-10-01T00:00:00.000Z", pipeline_tag="text-generation"))
    fake_hub.add(model_json("acme/acme-audio", created="2026-11-20T00:00:00.000Z", pipeline_tag="text-to-speech"))
    fake_hub.add(model_json("acme/old-thing", created="2023-03-01T00:00:00.000Z", pipeline_tag=None))
    for index in range(60):  # more than one page of the listing
        fake_hub.add(model_json(f"acme/ckpt-{index:02d}", created=f"2022-01-{index % 28 + 1:02d}T00:00:00.000Z"))
    result = invoke("check-hub", "--new", "--since", "2023-01-01")
    assert 0 == result.exit_code, result.output
    assert [
        "2026-11-20  acme/acme-audio  text-to-speech  owatlas new model acme-audio --from-hf acme/acme-audio",
        "2026-10-01  acme/Acme-3-Instruct  text-generation  owatlas new model acme-3-instruct --from-hf acme/Acme-3-Instruct",
        "2023-03-01  acme/old-thing  -  owatlas new model old-thing --from-hf acme/old-thing",
    ] == result.stdout.splitlines()
    everything = invoke("check-hub", "--new")
    assert 63 == len(everything.stdout.splitlines())
    assert any("cursor=50" in path for path in fake_hub.requests)  # the second page, through the Link header


def test_check_hub_on_the_whole_atlas_reports_exactly_the_planted_differences(fake_hub, monkeypatch):
    """Recorded answers that agree with every record of the atlas, but for four planted differences."""
    corpus, problems = run(ROOT, None, keep="records")
    assert [] == problems
    tag_of = {licence: tag for tag, licence in HUB_LICENCES.items()}
    planted = {}
    for entry in corpus.records("models"):
        record = entry.record
        for weights in record.weights:
            if not is_hub_repo(weights.repository) or weights.repository in fake_hub.models:
                continue
            licence = weights.licence or record.licence
            tag = {"licence": tag_of[licence], "licence_name": None} if licence in tag_of else {"licence": "other", "licence_name": licence}
            parameters = record.parameters.total if weights.variant != "other" else None
            fake_hub.add(model_json(weights.repository, gated="manual" if record.access == "gated" else False, parameters=parameters, **tag))
            planted.setdefault("repos", []).append((entry, weights))
    listed = Counter(w.repository.lower() for entry in corpus.records("models") for w in entry.record.weights)
    repos = [(entry, w) for entry, w in planted["repos"] if listed[w.repository.lower()] == 1]
    licence_entry, licence_weights = next((entry, w) for entry, w in repos if w.licence is None and entry.record.licence != "mit")
    licence_repo = licence_weights.repository
    fake_hub.models[licence_repo]["cardData"] |= {"license": "mit"}
    fake_hub.models[licence_repo]["cardData"].pop("license_name", None)
    access_entry, access_weights = next((entry, w) for entry, w in repos if entry.record.access == "open" and entry is not licence_entry)
    fake_hub.models[access_weights.repository]["gated"] = "auto"
    size_entry, size_weights = next((entry, w) for entry, w in repos if entry.record.parameters.total and w.variant != "other" and entry not in (licence_entry, access_entry))
    fake_hub.models[size_weights.repository]["safetensors"] = {"parameters": {"BF16": size_entry.record.parameters.total * 2}, "total": size_entry.record.parameters.total * 2}
    gone_entry, gone_weights = next((entry, w) for entry, w in repos if entry not in (licence_entry, access_entry, size_entry))
    del fake_hub.models[gone_weights.repository]

    monkeypatch.chdir(ROOT)
    result = invoke("check-hub", "--format", "json")
    assert 1 == result.exit_code
    found = sorted((item["record"], item["code"]) for item in map(json.loads, result.stdout.splitlines()))
    expected = sorted([(licence_entry.id, "hub-licence"), (access_entry.id, "hub-access"), (size_entry.id, "hub-parameters"), (gone_entry.id, "hub-missing")])
    assert expected == found
