"""A static website of a release: a searchable models table, charts, and a page per record.

Every page works from file:// and from any static host: links are relative, and the only style
and script are the two files in assets/ — no CDN, no request to anywhere.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import charts, frontier
from .atomic import replaced_folder
from .dates import as_written
from .stats import top_level

FIGURES = "figures"


class ExplorerError(Exception):
    """A release that cannot be rendered, with what to do instead."""


@dataclass
class Atlas:
    """The rows of a release's tables, with the look-ups the pages need."""

    version: str
    models: list[dict]
    companies: dict[str, dict]
    licences: dict[str, dict]
    quotes: list[dict]
    sources: dict[tuple[str, str], list[dict]]
    weights: dict[str, list[dict]] = field(default_factory=dict)  # model id -> its weights entries
    licence_changes: dict[str, list[dict]] = field(default_factory=dict)
    openness: dict[str, dict[str, str]] = field(default_factory=dict)  # model id -> component -> grade (pages only)
    openness_shares: dict[str, float] = field(default_factory=dict)  # model id -> share, for the chart (charts.openness_shares)
    benchmarks: dict[str, dict] = field(default_factory=dict)
    evaluations: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.parent_of = {key: row["parent"] for key, row in self.companies.items()}

    @cached_property
    def results(self) -> dict[str, list[dict]]:
        """Each model's evaluations, grouped once for all the model pages."""
        return _by_model(self.evaluations)

    def country_of(self, model: dict) -> str | None:
        """Country of the organisation at the top of the lead developer's parent chain."""
        return self.companies[top_level(model["developers"][0], self.parent_of)]["country"]


# The columns the figures are drawn from.
FIGURE_COLUMNS = {
    "models": ["id", "name", "released", "released_text", "developers", "licence", "parameters"],
    "companies": ["id", "parent", "country"],
    "licences": ["id", "kind"],
    "benchmarks": ["id", "name", "metric", "scale_min", "scale_max", "higher_is_better"],
    "evaluations": ["model_id", "benchmark", "score", "score_text", "setting", "reporter", "source", "independent"],
}


def read_atlas(release: Path, *, figures_only: bool = False) -> Atlas:
    """The release's rows; with `figures_only`, only what the figures need (a fraction of it)."""
    import pyarrow.parquet as pq

    descriptor = release / "datapackage.json"
    if not descriptor.is_file():
        raise ExplorerError(f"no release at {release}: run `owatlas build` first")

    def rows(table: str) -> list[dict]:
        columns = FIGURE_COLUMNS[table] if figures_only else None
        path = release / "parquet" / f"{table}.parquet"
        if not path.is_file():
            return []  # a release made before the table existed
        return [as_written(row) for row in pq.ParquetFile(path).read(columns=columns).to_pylist()]

    sources: dict[tuple[str, str], dict[int, dict]] = {}
    for row in rows("sources") if not figures_only else ():
        entry = sources.setdefault((row["table"], row["record_id"]), {}).setdefault(row["source"], row | {"fields": []})
        entry["fields"].append(row["field"])
    openness_path = release / "parquet" / "model_openness.parquet"
    openness = pq.read_table(openness_path) if openness_path.is_file() else None  # a release made before the table existed has none
    return Atlas(
        version=json.loads(descriptor.read_text(encoding="utf-8"))["version"],
        models=rows("models"),
        companies={row["id"]: row for row in rows("companies")},
        licences={row["id"]: row for row in rows("licences")},
        quotes=rows("quotes") if not figures_only else [],
        sources={key: [value[index] for index in sorted(value)] for key, value in sources.items()},
        weights=_by_model(rows("model_weights") if not figures_only else []),
        licence_changes=_by_model(rows("model_licence_changes") if not figures_only else []),
        openness=_grades(openness) if not figures_only else {},
        openness_shares=charts.openness_shares(openness) if openness is not None else {},
        benchmarks={row["id"]: row for row in rows("benchmarks")},
        evaluations=rows("evaluations"),
    )


def _grades(table) -> dict[str, dict[str, str]]:
    """Each model's openness grades by component, read column by column (13 rows per model)."""
    if table is None:
        return {}
    grades: dict[str, dict[str, str]] = {}
    for model, component, grade in zip(*(table[name].to_pylist() for name in ("model_id", "component", "grade")), strict=True):
        grades.setdefault(model, {})[component] = grade
    return grades


def _by_model(rows: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["model_id"], []).append(row)
    return found


def figures(atlas: Atlas) -> list[charts.Chart]:
    country = {model["id"]: atlas.country_of(model) for model in atlas.models}
    kinds = {licence_id: licence["kind"] for licence_id, licence in atlas.licences.items()}
    return [
        charts.releases_by_quarter(atlas.models, country),
        charts.licence_kinds_by_year(atlas.models, kinds),
        charts.parameters_over_time(atlas.models, country),
        charts.openness_by_country(atlas.models, country, atlas.openness_shares),
        *frontier_charts(atlas, country),
    ]


def frontier_charts(atlas: Atlas, country: dict[str, str | None]) -> list[charts.Chart]:
    """One frontier chart per benchmark with developer-reported results (frontier.py)."""
    models = {m["id"]: {"released": m["released"], "name": m["name"], "group": charts.group(country[m["id"]])} for m in atlas.models}
    until = max((m["released"] for m in atlas.models), default="2026")
    found = []
    for benchmark in atlas.benchmarks.values():
        bests = frontier.best_per_model(benchmark, atlas.evaluations, models)
        if bests:
            found.append(charts.frontier_chart(benchmark, frontier.steps(benchmark, bests), until))
    return found


def write_figures(atlas: Atlas, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in figures(atlas):
        path = folder / f"{figure.name}.svg"
        path.write_text(figure.svg + "\n", encoding="utf-8")
        written.append(path)
    return written


def render_site(release: Path, out: Path) -> int:
    """Write the site for the release at `release` into `out` (replaced whole); return the page count."""
    atlas = read_atlas(release)
    environment = _environment()
    pages = list(_pages(atlas))
    with replaced_folder(out) as folder:
        assets = Path(__file__).parent / "templates" / "assets"
        shutil.copytree(assets, folder / "assets")
        for relative, template, context in pages:
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            root = "../" * relative.count("/")
            html = environment.get_template(template).render(root=root, version=atlas.version, **context)
            path.write_text(html, encoding="utf-8")
        write_figures(atlas, folder / FIGURES)
    return len(pages)


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("owatlas", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _pages(atlas: Atlas):
    yield "index.html", "index.html", _index(atlas)
    for model in atlas.models:
        yield f"models/{model['id']}.html", "record.html", _model_page(atlas, model)
    for company in atlas.companies.values():
        yield f"companies/{company['id']}.html", "record.html", _company_page(atlas, company)
    for licence in atlas.licences.values():
        yield f"licences/{licence['id']}.html", "record.html", _licence_page(atlas, licence)
    for quote in atlas.quotes:
        yield f"quotes/{quote['id']}.html", "record.html", _quote_page(atlas, quote)
    yield "companies.html", "listing.html", _company_listing(atlas)
    yield "licences.html", "listing.html", _licence_listing(atlas)
    yield "quotes.html", "listing.html", _quote_listing(atlas)


def _index(atlas: Atlas) -> dict:
    rows = []
    for model in atlas.models:
        developers = [atlas.companies[d] for d in model["developers"]]
        licence = atlas.licences[model["licence"]]
        country = atlas.country_of(model) or "unknown"
        total, active = model["parameters"]["total"], model["parameters"]["active"]
        search = " ".join([model["name"], model["family"], *(d["name"] for d in developers), country, licence["name"], model["access"]]).lower()
        rows.append(
            {
                "id": model["id"],
                "name": model["name"],
                "developers": developers,
                "developer_names": ", ".join(d["name"] for d in developers),
                "country": country,
                "released": model["released"],
                "total": total,
                "active": active,
                "total_text": _count(total, model["parameters"]["approximate"]),
                "active_text": _count(active, model["parameters"]["approximate"]),
                "licence": model["licence"],
                "licence_name": licence["name"],
                "access": model["access"],
                "search": search,
            }
        )
    developers = {d for model in atlas.models for d in model["developers"]}
    counts = {"models": len(atlas.models), "developers": len(developers), "licences": len(atlas.licences), "quotes": len(atlas.quotes)}
    return {"title": "Open-weight AI models", "models": rows, "charts": figures(atlas), "counts": counts}


def _model_page(atlas: Atlas, model: dict) -> dict:
    parameters, openness, modalities = model["parameters"], model["openness"], model["modalities"]
    facts = [
        ("Family", model["family"]),
        ("Released", model["released"]),
        ("Total parameters", _count(parameters["total"], parameters["approximate"])),
        ("Active parameters", _count(parameters["active"], parameters["approximate"]) or ("all (not a mixture of experts)" if model["architecture"] in ("dense", "ssm") else None)),
        ("Architecture", model["architecture"]),
        ("Input", ", ".join(modalities["input"])),
        ("Output", ", ".join(modalities["output"])),
        ("Context length", f"{model['context_length']:,} tokens" if model["context_length"] else None),
        ("Announced", model["announced"]),
        ("Access", model["access"]),
        ("Licence at release", atlas.licences[model["licence_at_release"]]["name"]),
        ("Training tokens", _count(model["training"]["tokens"], False)),
        ("Training compute (FLOP)", f"{model['training']['compute_flop']:.3g}" if model["training"]["compute_flop"] else None),
        ("Training accelerator hours", f"{model['training']['gpu_hours']:,}" if model["training"]["gpu_hours"] else None),
        ("Training hardware", model["training"]["hardware"]),
        ("Openness score", f"{model['openness_score']} of 100" if model["openness_score"] is not None else f"not scored ({model['openness_graded']} of {len(OPENNESS_LABELS)} components graded)"),
        ("Country of the developer", atlas.country_of(model)),
    ]
    lists = [
        ("Developers", [(f"../companies/{d}.html", atlas.companies[d]["name"]) for d in model["developers"]]),
        ("Licence of the weights", [(f"../licences/{model['licence']}.html", atlas.licences[model["licence"]]["name"])]),
        ("Licence of the code", [(f"../licences/{model['code_licence']}.html", atlas.licences[model["code_licence"]]["name"])] if model["code_licence"] else []),
        ("Based on", [(f"{model['base_model']}.html", model["base_model"])] if model["base_model"] else []),
        ("Technical report", [(openness["technical_report_url"], openness["technical_report_url"])] if openness["technical_report_url"] else []),
    ]
    page = _record("Model", model["name"], facts, lists, model, atlas.sources.get(("models", model["id"]), []))
    page["tables"] = [_licence_timeline(atlas, model), _variants(atlas, model), _openness_grid(atlas, model), _results(atlas, model)]
    return page


OPENNESS_LABELS = {
    "base_weights": "Base weights",
    "tuned_weights": "Tuned weights",
    "intermediate_checkpoints": "Intermediate checkpoints",
    "inference_code": "Inference code",
    "training_code": "Training code",
    "training_data": "Training data",
    "tuning_data": "Tuning data",
    "data_documentation": "Data documentation",
    "model_card": "Model card",
    "technical_report": "Technical report",
    "peer_reviewed_paper": "Peer-reviewed paper",
    "evaluation_code": "Evaluation code",
    "licence": "Licence (from the licence record)",
}


def _licence_link(atlas: Atlas, licence_id: str) -> tuple[str, str]:
    return (f"../licences/{licence_id}.html", atlas.licences[licence_id]["name"])


def _licence_timeline(atlas: Atlas, model: dict) -> dict:
    """From the release to today: one row per licence the weights have been under."""
    rows = [((None, model["released"]), _licence_link(atlas, model["licence_at_release"]), (None, "first release of the weights"))]
    for change in atlas.licence_changes.get(model["id"], []):
        rows.append(((None, change["date"]), _licence_link(atlas, change["to_licence"]), (change["source"], "source of the change")))
    return {"heading": "Licence timeline", "header": ("From", "Licence", "Evidence"), "rows": rows}


def _variants(atlas: Atlas, model: dict) -> dict:
    rows = [
        ((_weights_url(w["repository"]), w["repository"]), (None, w["variant"]), _licence_link(atlas, w["licence_in_force"]))
        for w in atlas.weights.get(model["id"], [])
    ]
    return {"heading": "Weights", "header": ("Repository", "Variant", "Licence"), "rows": rows}


def _results(atlas: Atlas, model: dict) -> dict:
    rows = [
        (
            (None, atlas.benchmarks[row["benchmark"]]["name"]),
            (None, row["score_text"]),
            (None, row["setting"]),
            (f"../companies/{row['reporter']}.html", atlas.companies[row["reporter"]]["name"] + (" (independent)" if row["independent"] else "")),
            (row["source"], "source"),
        )
        for row in atlas.results.get(model["id"], [])
    ]
    return {"heading": "Benchmark results (as reported; settings differ)", "header": ("Benchmark", "Score", "Setting", "Reported by", "Evidence"), "rows": rows}


def _openness_grid(atlas: Atlas, model: dict) -> dict:
    grades = atlas.openness.get(model["id"], {})
    rows = [((None, label), (None, grades.get(name, "unknown"))) for name, label in OPENNESS_LABELS.items()]
    return {"heading": "Openness by component", "header": ("Component", "Grade"), "rows": rows, "grades": True}


def _company_page(atlas: Atlas, company: dict) -> dict:
    facts = [
        ("Kind", company["kind"]),
        ("Legal name", company["legal_name"]),
        ("Also known as", ", ".join(company["aliases"])),
        ("Country", company["country"]),
        ("Headquarters", company["headquarters"]),
        ("Founded", company["founded"]),
        ("Wikidata", company["wikidata"]),
    ]
    models = [(f"../models/{m['id']}.html", m["name"]) for m in atlas.models if company["id"] in m["developers"]]
    quotes = [(f"../quotes/{q['id']}.html", f"{q['speaker']['name']}: {_short(q['text'])}") for q in atlas.quotes if q["speaker"]["company"] == company["id"]]
    lists = [
        ("Parent organisation", [(f"{company['parent']}.html", atlas.companies[company["parent"]]["name"])] if company["parent"] else []),
        ("Website", [(company["website"], company["website"])] if company["website"] else []),
        ("Models", models),
        ("Quotes by its people", quotes),
    ]
    return _record("Organisation", company["name"], facts, lists, company, atlas.sources.get(("companies", company["id"]), []))


def _licence_page(atlas: Atlas, licence: dict) -> dict:
    def term(name: str, shown: str | None) -> str | None:
        return "none in the licence text" if name in licence["absent_terms"] else shown

    facts = [
        ("Kind", licence["kind"]),
        ("SPDX identifier", licence["spdx_id"]),
        ("OSI approved", _yes_no(licence["osi_approved"])),
        ("Commercial use", _yes_no(licence["commercial_use"])),
        ("Monthly active user threshold", term("mau_threshold", f"{licence['mau_threshold']:,}" if licence["mau_threshold"] else None)),
        ("Monthly revenue threshold (US$)", term("monthly_revenue_threshold_usd", f"{licence['monthly_revenue_threshold_usd']:,}" if licence["monthly_revenue_threshold_usd"] else None)),
        ("Above the thresholds", term("threshold_terms", licence["threshold_terms"])),
        ("Attribution or naming", term("attribution", licence["attribution"])),
        ("Restricts training other models on outputs", _yes_no(licence["restricts_output_training"])),
        ("Excluded territories", ", ".join(licence["excluded_territories"]) or "none"),
    ]
    if "acceptable_use_policy" in licence["absent_terms"]:
        facts.append(("Acceptable use policy", "none in the licence text"))
    lists = [
        ("Licence text", [(licence["url"], licence["url"])]),
        ("Acceptable use policy", [(licence["acceptable_use_policy"], licence["acceptable_use_policy"])] if licence["acceptable_use_policy"] else []),
        ("Models with weights under this licence", [(f"../models/{m['id']}.html", m["name"]) for m in atlas.models if m["licence"] == licence["id"]]),
    ]
    return _record("Licence", licence["name"], facts, lists, licence, atlas.sources.get(("licences", licence["id"]), []))


def _quote_page(atlas: Atlas, quote: dict) -> dict:
    speaker = quote["speaker"]
    facts = [("Speaker", speaker["name"]), ("Role", speaker["role"]), ("Said", quote["said"]), ("Language", quote["language"]), ("Topics", ", ".join(quote["topics"]))]
    lists = [
        ("Speaking for", [(f"../companies/{speaker['company']}.html", atlas.companies[speaker["company"]]["name"])] if speaker["company"] else []),
        ("About models", [(f"../models/{m}.html", m) for m in quote["about"]["models"]]),
        ("About organisations", [(f"../companies/{c}.html", atlas.companies[c]["name"]) for c in quote["about"]["companies"]]),
    ]
    page = _record("Quote", f"{speaker['name']} on open weights", facts, lists, quote, atlas.sources.get(("quotes", quote["id"]), []))
    page["quote"] = quote
    return page


def _record(kind: str, title: str, facts: list, lists: list, record: dict, sources: list) -> dict:
    return {"kind": kind, "title": title, "facts": facts, "lists": lists, "tables": [], "notes": record.get("notes"), "sources": sources, "quote": None}


def _company_listing(atlas: Atlas) -> dict:
    counts = {}
    for model in atlas.models:
        for developer in model["developers"]:
            counts[developer] = counts.get(developer, 0) + 1
    rows = [(f"companies/{c['id']}.html", (c["name"], c["kind"], c["country"], c["headquarters"], counts.get(c["id"], 0))) for c in atlas.companies.values()]
    intro = "Organisations that develop open-weight models, and those whose people are quoted."
    return {"title": "Companies and organisations", "intro": intro, "header": ("Name", "Kind", "Country", "Headquarters", "Models"), "rows": rows}


def _licence_listing(atlas: Atlas) -> dict:
    counts = {}
    for model in atlas.models:
        counts[model["licence"]] = counts.get(model["licence"], 0) + 1
    rows = [(f"licences/{l['id']}.html", (l["name"], l["kind"], _yes_no(l["commercial_use"]), _yes_no(l["osi_approved"]), counts.get(l["id"], 0))) for l in atlas.licences.values()]
    intro = "Licences that model weights and code are released under, with the terms that matter for AI models."
    return {"title": "Licences", "intro": intro, "header": ("Licence", "Kind", "Commercial use", "OSI approved", "Models"), "rows": rows}


def _quote_listing(atlas: Atlas) -> dict:
    rows = [(f"quotes/{q['id']}.html", (q["speaker"]["name"], _short(q["text"]), q["kind"], q["said"])) for q in atlas.quotes]
    intro = "What people on record said about open-weight AI. Direct quotes are the exact words of the cited source; paraphrases say so."
    return {"title": "Quotes", "intro": intro, "header": ("Speaker", "Words", "Kind", "Said"), "rows": rows}


def _count(value: int | None, approximate: bool) -> str | None:
    if value is None:
        return None
    return ("≈" if approximate else "") + charts.magnitude(value)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _weights_url(location: str) -> str:
    return location if location.startswith(("http://", "https://")) else f"https://huggingface.co/{location}"
