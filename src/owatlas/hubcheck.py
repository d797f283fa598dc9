"""Compare the atlas with the Hugging Face Hub: what changed on the Hub since a record was written
(licence tag, gating, parameter count, a repository gone), and what the Hub has that the atlas lacks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import hub
from .corpus import Entry
from .pipeline import run
from .problems import Problem
from .values import HF_REPO_PATTERN

TOLERANCE = {True: 0.15, False: 0.01}  # parameters.approximate -> how far the Hub's count may differ
_HF_REPO = re.compile(HF_REPO_PATTERN)


def is_hub_repo(location: str) -> bool:
    return bool(_HF_REPO.fullmatch(location))


def check(root: Path, files: list[Path] | None, connection: hub.Hub) -> tuple[list[Problem], list[Problem]]:
    """(problems reading the records, findings): one finding per difference between a record and the Hub."""
    corpus, problems = run(root, files, keep="records")
    if problems:
        return problems, []
    known = corpus.ids["licences"]
    listings = Counter(w.repository.lower() for entry in corpus.records("models") for w in entry.record.weights)
    findings = []
    for entry in corpus.records("models"):
        for index, weights in enumerate(entry.record.weights):
            if is_hub_repo(weights.repository):
                shared = listings[weights.repository.lower()] > 1
                findings += compare(entry, index, hub.model(connection, weights.repository), known, shared)
    return [], sorted(findings)


def compare(entry: Entry, index: int, found: hub.HubModel, known: set[str], shared: bool = False) -> list[Problem]:
    """The differences between weights entry `index` of a model record and the Hub's view of its repository.

    A repository that several records list (one repository holding several model versions, each file
    under its own licence) has one licence tag and one parameter count for all of them, so only its
    existence and gating are compared."""
    record, weights = entry.record, entry.record.weights[index]
    here = ("weights", index)
    if not found.exists:
        return [entry.problem((*here, "repository"), f"repository {weights.repository} is not on the Hub (missing, renamed or private); the record lists it", "hub-missing")]
    if shared:
        return _access_difference(entry, weights.repository, found)
    differences = []
    licence = weights.licence or record.licence
    hub_licence = found.licence(known)
    if found.licence_tag is None:
        pass  # the Hub states no licence: nothing to compare
    elif hub_licence is None:
        differences.append(entry.problem((*here, "repository"), f"the Hub's licence tag {found.licence_text()} names no atlas licence; the record says '{licence}'", "hub-licence-unmapped"))
    elif hub_licence != licence:
        field = (*here, "licence") if weights.licence else ("licence",)
        differences.append(entry.problem(field, f"the Hub's licence tag {found.licence_text()} means '{hub_licence}'; the record says '{licence}' for {weights.repository}", "hub-licence"))
    differences += _access_difference(entry, weights.repository, found)
    total = record.parameters.total
    if weights.variant != "other" and found.parameters and total and abs(found.parameters - total) > TOLERANCE[record.parameters.approximate] * total:
        differences.append(
            entry.problem(("parameters", "total"), f"{weights.repository} has {found.parameters:,} parameters on the Hub (safetensors); the record says {total:,}", "hub-parameters")
        )
    return differences


def _access_difference(entry: Entry, repository: str, found: hub.HubModel) -> list[Problem]:
    access = entry.record.access
    if found.gated == (access == "gated"):
        return []
    return [entry.problem(("access",), f"{repository} is {'gated' if found.gated else 'open'} on the Hub; the record says access '{access}'", "hub-access")]


@dataclass
class Candidate:
    """A repository of an organisation in the atlas that no record lists."""

    found: hub.HubModel
    record_id: str

    @property
    def command(self) -> str:
        return f"owatlas new model {self.record_id} --from-hf {self.found.repo}"


def new_repositories(root: Path, connection: hub.Hub, since: str | None = None) -> tuple[list[Problem], list[Candidate]]:
    """The repositories that the Hub organisations of the atlas's weights published and no record lists, newest first."""
    corpus, problems = run(root, None, keep="records")
    if problems:
        return problems, []
    listed = {w.repository.lower() for entry in corpus.records("models") for w in entry.record.weights}
    organisations = sorted({repo.split("/")[0] for repo in listed if is_hub_repo(repo)})
    candidates = []
    for organisation in organisations:
        for found in hub.organisation_models(connection, organisation):
            if since and (found.created or "") < since:
                break  # newest first: the rest are older
            if found.repo.lower() not in listed:
                candidates.append(Candidate(found, suggested_id(found.repo)))
    return [], sorted(candidates, key=lambda candidate: (candidate.found.created or "", candidate.found.repo), reverse=True)


def suggested_id(repo: str) -> str:
    """'Qwen/Qwen3-Coder-480B-A35B-Instruct' -> 'qwen3-coder-480b-a35b-instruct'."""
    name = re.sub(r"[^a-z0-9.-]+", "-", repo.split("/")[-1].lower()).strip("-.")
    return re.sub(r"\.{2,}", ".", name) or "model"
