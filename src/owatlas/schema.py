"""The four record types. This module is the one place a field is defined.

Field metadata used elsewhere:
- `x-references`: the table whose ids the field (or each item of the list) must name;
- `x-editorial`: the field is the atlas's own classification, so no source has to back it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .values import (
    Count,
    Flops,
    Country,
    FullDate,
    Language,
    NonNegative,
    PartialDate,
    RecordId,
    Score,
    Territory,
    Text,
    Url,
    WeightsLocation,
    WikidataId,
)


def references(table: str, description: str, **kwargs):
    return Field(description=description, json_schema_extra={"x-references": table}, **kwargs)


def editorial(description: str, **kwargs):
    return Field(description=description, json_schema_extra={"x-editorial": True}, **kwargs)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    """A publication that backs some of a record's fields."""

    url: Url = Field(description="Address of the source.")
    title: Text = Field(description="Title of the page or document.")
    publisher: Text = Field(description="Who published it (organisation or person).")
    published: PartialDate | None = Field(None, description="Publication date, with precision (YYYY-MM-DD, YYYY-MM or YYYY), if known.")
    accessed: FullDate = Field(description="Date the source was read for this record (YYYY-MM-DD).")
    supports: list[Text] = Field(min_length=1, description="The record's fields this source backs, e.g. 'released' or 'parameters.total'.")


Sources = list[Source]
SOURCES = dict(min_length=1, description="Publications that back the record's fields; at least one.")
NOTES = dict(description="Free-text remarks: disagreements between sources, rounding, choices made.")


class Company(Strict):
    """An organisation that develops models, or employs people quoted in the atlas."""

    id: RecordId = Field(description="Stable identifier; equals the file name.")
    name: Text = Field(description="Common name of the organisation.")
    legal_name: Text | None = Field(None, description="Registered legal name, where a source states it.")
    aliases: list[Text] = Field([], description="Other names, including names in native scripts (e.g. 月之暗面).")
    kind: Literal["company", "nonprofit", "academic", "government", "research-firm", "community"] = editorial(
        "What sort of organisation it is: company, nonprofit, academic, government, research-firm (analysts) or community."
    )
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code of the country of the headquarters.")
    headquarters: Text | None = Field(None, description="City of the headquarters.")
    founded: PartialDate | None = Field(None, description="Founding date, with precision.")
    parent: RecordId | None = references("companies", "Id of the parent organisation, if any.", default=None)
    website: Url | None = Field(None, description="Official website.")
    wikidata: WikidataId | None = Field(None, description="Wikidata item id (Q-number).")
    sources: Sources = Field(**SOURCES)
    notes: Text | None = Field(None, **NOTES)


class Parameters(Strict):
    total: Count | None = Field(None, description="Total parameter count, an exact integer as the source states it.")
    active: Count | None = Field(None, description="Parameters active per token; mixture-of-experts models only.")
    approximate: bool = Field(False, description="True when the source gives only a rounded figure (e.g. '7B').")


MODALITY = Literal["text", "image", "audio", "video"]


class Modalities(Strict):
    input: list[MODALITY] = Field(min_length=1, description="Kinds of input the model accepts.")
    output: list[MODALITY] = Field(min_length=1, description="Kinds of output the model produces.")


class LicenceChange(Strict):
    """One change of the licence of a model's weights after their release."""

    date: PartialDate = Field(description="When the new licence took effect, with precision (YYYY-MM-DD, YYYY-MM or YYYY).")
    from_licence: RecordId = references("licences", "Id of the licence the weights were under before the change.")
    to_licence: RecordId = references("licences", "Id of the licence the weights were under after the change.")
    source: Url = Field(description="URL of the record's source that documents this change; it must be one of the record's sources.")


class Weights(Strict):
    """One set of downloadable weights of a model: a size's base, instruct or other variant."""

    repository: WeightsLocation = Field(description="Hugging Face repo id ('owner/name') or an https URL of the weights.")
    variant: Literal["base", "instruct", "reasoning", "other"] = Field(
        description="base (pre-trained only), instruct (instruction- or chat-tuned), reasoning (tuned to reason before answering) or other."
    )
    licence: RecordId | None = references("licences", "Id of this variant's licence where it differs from the model's; null means the model's licence.", default=None)


class Training(Strict):
    """What the developer published about how the model was trained."""

    tokens: Count | None = Field(None, description="Tokens of pre-training data, as the developer states it (e.g. '15T' is 15000000000000).")
    compute_flop: Flops | None = Field(None, description="Training compute in FLOP, as the developer states it, in scientific notation such as '3.8e25'.")
    gpu_hours: Count | None = Field(None, description="Accelerator hours used for training, as the developer states them.")
    hardware: Text | None = Field(None, description="Accelerators used for training, as the developer names them (e.g. 'NVIDIA H800').")


class Evaluation(Strict):
    """One benchmark result of a model, exactly as its source reports it."""

    benchmark: RecordId = references("benchmarks", "Id of the benchmark.")
    score: Score = Field(description="The score exactly as the source gives it, as text ('71.5'); never rounded or converted.")
    setting: Text = Field(description="How it was measured, as the source states it: shots, chain of thought, pass@k, tools, reasoning effort, benchmark version or date window.")
    shots: NonNegative | None = Field(None, description="Number of examples in the prompt (0 for zero-shot), where the source states it.")
    reporter: RecordId = references("companies", "Who reported the result: the developer, or a named independent evaluator.")
    source: Url = Field(description="URL of the record's source that reports this result; it must be one of the record's sources.")


Grade = Literal["open", "partial", "closed"]


def component(description: str):
    return Field(None, description=f"{description} open, partial or closed; null when not yet graded (published as 'unknown').")


class Openness(Strict):
    """How open a model is, component by component (see docs/openness.md for what each grade means)."""

    base_weights: Grade | None = component("Pre-trained (base) weights:")
    tuned_weights: Grade | None = component("Instruction-, chat- or otherwise tuned weights:")
    intermediate_checkpoints: Grade | None = component("Checkpoints saved during training:")
    inference_code: Grade | None = component("Code to run the model:")
    training_code: Grade | None = component("Code used to train the model:")
    training_data: Grade | None = component("Pre-training data:")
    tuning_data: Grade | None = component("Data used to tune the model after pre-training:")
    data_documentation: Grade | None = component("Documentation of the training data (datasheet or data card):")
    model_card: Grade | None = component("Model card:")
    technical_report: Grade | None = component("Technical report or preprint:")
    peer_reviewed_paper: Grade | None = component("Peer-reviewed paper:")
    evaluation_code: Grade | None = component("Code to reproduce the developer's evaluation:")
    technical_report_url: Url | None = Field(None, description="URL of the technical report, preprint or paper.")


GRADED = tuple(name for name, info in Openness.model_fields.items() if name != "technical_report_url")
"""The openness components a record grades."""


class Model(Strict):
    """One released model: a size or variant users download."""

    id: RecordId = Field(description="Stable identifier; equals the file name.")
    name: Text = Field(description="Official name, as the developer writes it.")
    family: Text = editorial("Model family, e.g. 'Llama 3.1' or 'Qwen2.5'.")
    developers: list[RecordId] = references("companies", "Ids of the developing organisations, in credited order.", min_length=1)
    announced: PartialDate | None = Field(None, description="When the model was first announced, with precision, where that was before its weights were released.")
    released: PartialDate = Field(description="Date of the first public release of the weights, with precision.")
    parameters: Parameters = Field(description="Parameter counts.")
    architecture: Literal["dense", "moe", "hybrid", "ssm"] | None = Field(
        None, description="dense transformer, moe (mixture of experts), hybrid (attention with state-space layers) or ssm (state-space)."
    )
    modalities: Modalities = Field(description="Input and output modalities.")
    context_length: Count | None = Field(None, description="Maximum context length in tokens, as stated by the developer.")
    licence: RecordId = references("licences", "Id of the licence the weights are under now.")
    licence_changes: list[LicenceChange] = Field([], description="Every change of the weights' licence since their release, oldest first; empty when it never changed.")
    code_licence: RecordId | None = references("licences", "Id of the licence of the released model code.", default=None)
    weights: list[Weights] = Field([], description="Where to download the weights, each with its variant and, where it differs, its licence.")
    access: Literal["open", "gated"] = Field(description="open: download freely; gated: accept terms or request access first.")
    base_model: RecordId | None = references("models", "Id of the model this one was fine-tuned, distilled or further trained from.", default=None)
    training: Training = Field(Training(), description="Training facts the developer published.")
    openness: Openness = Field(Openness(), description="How open the model is, component by component.")
    evaluations: list[Evaluation] = Field([], description="Benchmark results, each with its setting, reporter and source.", json_schema_extra={"x-table": "evaluations"})
    sources: Sources = Field(**SOURCES)
    notes: Text | None = Field(None, **NOTES)


class Benchmark(Strict):
    """A benchmark that model results are reported on, with what its scores mean."""

    id: RecordId = Field(description="Stable identifier; equals the file name.")
    name: Text = Field(description="Name of the benchmark, with its version or subset (e.g. 'AIME 2025', 'SWE-bench Verified').")
    measures: Text = Field(description="What it measures.")
    url: Url = Field(description="Home page or paper of the benchmark.")
    metric: Text = Field(description="What a score is (e.g. 'accuracy, %', 'pass@1, %', 'Elo rating').")
    scale_min: int | None = Field(None, description="Lowest possible score, where the scale is bounded.")
    scale_max: int | None = Field(None, description="Highest possible score, where the scale is bounded.")
    higher_is_better: bool = Field(description="Whether a higher score is better.")
    caveats: Text | None = Field(None, description="Known caveats: contamination, saturation, versions that differ.")
    sources: Sources = Field(**SOURCES)
    notes: Text | None = Field(None, **NOTES)


AbsentTerm = Literal["mau_threshold", "monthly_revenue_threshold_usd", "threshold_terms", "attribution", "acceptable_use_policy"]
# The terms a reader of the licence text settles: each is filled, or (where it can be absent) named in absent_terms.
LICENCE_TERMS = ("commercial_use", "mau_threshold", "monthly_revenue_threshold_usd", "attribution", "acceptable_use_policy", "restricts_output_training")


class Licence(Strict):
    """A licence that model weights or code are released under, with the terms that matter for AI models."""

    id: RecordId = Field(description="Stable identifier; equals the file name.")
    name: Text = Field(description="Full name of the licence.")
    spdx_id: Text | None = Field(None, description="Exact SPDX identifier; null for custom licences.")
    url: Url = Field(description="Where the licence text is published.")
    osi_approved: bool = Field(description="Whether the Open Source Initiative approved the licence; false for a licence it has not approved.")
    kind: Literal["permissive", "copyleft", "restricted", "non-commercial"] = editorial(
        "permissive, copyleft, restricted (open weights with use restrictions or thresholds) or non-commercial."
    )
    commercial_use: bool | None = Field(None, description="Whether commercial use is allowed.")
    mau_threshold: Count | None = Field(None, description="Monthly active users above which extra terms apply.")
    monthly_revenue_threshold_usd: Count | None = Field(None, description="Monthly revenue in US dollars above which extra terms apply.")
    threshold_terms: Text | None = Field(None, description="What applies above the thresholds (paraphrase).")
    attribution: Text | None = Field(None, description="Required attribution or naming, verbatim where the licence gives a phrase.")
    acceptable_use_policy: Url | None = Field(None, description="URL of the acceptable or prohibited use policy.")
    restricts_output_training: bool | None = Field(None, description="Whether it restricts using outputs to train or improve other models.")
    excluded_territories: list[Territory] = Field([], description="Where the licence grants no rights: ISO 3166-1 alpha-2 codes, or EU.")
    absent_terms: list[AbsentTerm] = Field(
        [], description="Terms the licence text was read for and does not contain (no user threshold, no attribution clause, no use policy); each term named here stays null."
    )
    sources: Sources = Field(**SOURCES)
    notes: Text | None = Field(None, **NOTES)


class Speaker(Strict):
    name: Text = Field(description="Full name of the person quoted, or the organisation's name for an unsigned statement of the organisation.")
    role: Text | None = Field(None, description="Role or title at the time, as the source gives it.")
    company: RecordId | None = references("companies", "Id of the organisation they spoke for.", default=None)


class About(Strict):
    models: list[RecordId] = references("models", "Ids of the models the quote is about.", default=[])
    companies: list[RecordId] = references("companies", "Ids of the organisations the quote is about.", default=[])


class Quote(Strict):
    """A statement about open-weight AI by a person on record."""

    id: RecordId = Field(description="Stable identifier; equals the file name.")
    text: Text = Field(description="The words: verbatim for a direct quote, the atlas's wording for a paraphrase.")
    kind: Literal["direct", "paraphrase"] = editorial("direct (the exact words of the source) or paraphrase.")
    speaker: Speaker = Field(description="Who said it.")
    said: PartialDate | None = Field(None, description="When it was said or first published, with precision.")
    about: About = editorial("What the quote is about.", default=About())
    topics: list[
        Literal["open-weights", "open-source-definition", "us-china", "policy", "ecosystem", "licensing", "strategy", "safety", "performance", "values"]
    ] = editorial("Topics the quote touches.", default=[])
    language: Language = editorial("BCP 47 tag of the language of the text.", default="en")
    sources: Sources = Field(**SOURCES)
    notes: Text | None = Field(None, **NOTES)


class Retirement(Strict):
    """An id that was once used and stays reserved: it never comes back with another meaning."""

    id: RecordId = Field(description="The retired id.")
    retired: FullDate = Field(description="Date the record was retired (YYYY-MM-DD).")
    reason: Text = Field(description="Why it was retired.")
    replaced_by: RecordId | None = Field(None, description="Id of the record to use instead, in the same table, if any.")


class Retirements(Strict):
    """records/retired.yaml: the retired ids of every table."""

    companies: list[Retirement] = Field([], description="Retired company ids.")
    licences: list[Retirement] = Field([], description="Retired licence ids.")
    models: list[Retirement] = Field([], description="Retired model ids.")
    quotes: list[Retirement] = Field([], description="Retired quote ids.")
    benchmarks: list[Retirement] = Field([], description="Retired benchmark ids.")


TABLES: dict[str, type[Strict]] = {"companies": Company, "licences": Licence, "models": Model, "quotes": Quote, "benchmarks": Benchmark}
"""Record tables by name; each is the folder records/<name>/ and a table of the release."""
