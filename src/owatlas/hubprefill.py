"""Start a model record from what the Hugging Face Hub knows of its repositories.

Every prefilled field is backed by the source entry of the Hub page that states it; what the Hub
cannot know (the release day, the developers, the variant of each repository) stays null, with a
comment saying so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import hub
from .corpus import survey
from .pipeline import run
from .scaffold import Prefill, ScaffoldError


def prefill(root: Path, repos: list[str], connection: hub.Hub, today: dt.date) -> Prefill:
    """The template values for a model whose weights are `repos` (the first one leads)."""
    found = [hub.model(connection, repo, config=True) for repo in repos]
    missing = [item.repo for item in found if not item.exists]
    if missing:
        raise ScaffoldError(f"not on the Hub at {hub.endpoint()}: {', '.join(missing)}")
    corpus, _ = survey(root)
    known = corpus.ids.get("licences", set())
    lead = found[0]
    result = Prefill()
    backs: dict[str, list[str]] = {item.repo: ["weights"] for item in found}

    licence = lead.licence(known)
    if licence:
        result.values["licence"] = (_text(licence), None)
        backs[lead.repo].append("licence")
    else:
        result.values["licence"] = ("null", f"the Hub's licence tag {lead.licence_text()} is not mapped to an atlas licence: add or pick one in records/licences/")
    for item in found:
        own = item.licence(known)
        given = {"repository": _text(item.repo), "variant": "null  # base, instruct, reasoning or other: the Hub does not say", "licence": "null"}
        if own and licence and own != licence:
            given["licence"] = _text(own)
            backs[item.repo].append("weights.licence")
        result.items.setdefault("weights", []).append(given)

    result.values["access"] = ("gated" if any(item.gated for item in found) else "open", None)
    for item in found:
        backs[item.repo].append("access")

    counted = next((item for item in found if item.parameters), None)
    if counted:
        result.values["parameters.total"] = (str(counted.parameters), f"safetensors metadata of {counted.repo}")
        backs[counted.repo].append("parameters.total")
    else:
        result.values["parameters.total"] = ("null", "the Hub has no safetensors metadata for these repositories")

    modalities = hub.PIPELINE_MODALITIES.get(lead.pipeline_tag or "")
    if modalities:
        result.values["modalities.input"] = (_flow(modalities[0]), f"from the Hub's pipeline tag '{lead.pipeline_tag}'")
        result.values["modalities.output"] = (_flow(modalities[1]), None)
        backs[lead.repo].append("modalities")
    else:
        result.values["modalities.input"] = ("null", f"the Hub's pipeline tag {lead.pipeline_tag!r} says nothing certain about modalities")

    if lead.context_length:
        result.values["context_length"] = (str(lead.context_length), f"config.json of {lead.repo}")
        backs[lead.repo].append("context_length")

    base = _atlas_model_with_weights(root, lead.base_models)
    if base:
        result.values["base_model"] = (base, f"the Hub card's base_model: {', '.join(lead.base_models)}")
        backs[lead.repo].append("base_model")

    result.items["sources"] = [_source(item, backs[item.repo], today) for item in found]
    result.notes = [f"Hub: {item.repo} was created on {item.created}: a hint, not the release date" for item in found if item.created]
    result.notes.append("Fill what the Hub cannot know: released (from the developer), name, family, developers, each weights variant, and sources beyond the Hub pages.")
    return result


def _atlas_model_with_weights(root: Path, repos: list[str]) -> str | None:
    if not repos:
        return None
    wanted = {repo.lower() for repo in repos}
    corpus, _ = run(root, None, keep="records")
    for entry in corpus.records("models"):
        if any(weights.repository.lower() in wanted for weights in entry.record.weights):
            return entry.record.id
    return None


def _source(item: hub.HubModel, supports: list[str], today: dt.date) -> dict[str, str]:
    return {
        "url": _text(item.page),
        "title": _text(f"{item.repo} on the Hugging Face Hub (model card and repository metadata)"),
        "publisher": _text(f"Hugging Face Hub ({item.repo.split('/')[0]})"),
        "published": "null",
        "accessed": f"'{today.isoformat()}'",
        "supports": _flow(sorted(set(supports))),
    }


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"
