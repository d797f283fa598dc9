"""The dataset's shape in numbers: who releases open weights, when, where and under what terms."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import statistics

from .derived import LICENCE_COMPONENT, LICENCE_GRADE, POINTS, round_half_up, terms_read
from . import frontier
from .schema import GRADED, Benchmark, Company, Licence, Model, Quote

FOCUS = ("US", "CN")


@dataclass
class Stats:
    totals: dict[str, int]
    by_country: Counter
    by_year: dict[str, Counter]
    by_licence_kind: Counter
    by_architecture: Counter
    by_access: Counter
    by_developer: Counter
    osi_share: tuple[int, int]
    null_fields: Counter
    depth: dict[str, int]
    openness: dict[str, dict[str, float | int]]
    licence_terms_read: tuple[int, int]
    quotes: dict[str, int]
    leaders: dict[str, dict] = field(default_factory=dict)  # benchmark id -> leaders by group and the gap

    def as_dict(self) -> dict:
        return {
            "totals": self.totals,
            "models_by_country": dict(self.by_country.most_common()),
            "models_by_year": {year: dict(counts) for year, counts in sorted(self.by_year.items())},
            "models_by_licence_kind": dict(self.by_licence_kind.most_common()),
            "models_by_architecture": dict(self.by_architecture.most_common()),
            "models_by_access": dict(self.by_access.most_common()),
            "models_by_developer": dict(self.by_developer.most_common()),
            "models_under_osi_approved_licences": {"models": self.osi_share[0], "of": self.osi_share[1]},
            "licences_with_every_term_read": {"licences": self.licence_terms_read[0], "of": self.licence_terms_read[1]},
            "quotes": self.quotes,
            "model_fields_left_null": dict(self.null_fields.most_common()),
            "models_with": self.depth,
            "openness_by_country": self.openness,
            "benchmark_leaders": self.leaders,
        }


def top_level(company_id: str, parent_of: dict[str, str | None]) -> str:
    """The organisation at the top of `company_id`'s parent chain (a model's country is its country)."""
    seen = {company_id}
    while parent_of.get(company_id) in parent_of and parent_of[company_id] not in seen:
        company_id = parent_of[company_id]
        seen.add(company_id)
    return company_id


def home_country(company_id: str, companies: dict[str, Company], parent_of: dict[str, str | None]) -> str:
    """The country of the organisation at the top of `company_id`'s parent chain ('??' if unknown)."""
    return companies[top_level(company_id, parent_of)].country or "??"


def compute(models: list[Model], companies: list[Company], licences: list[Licence], quotes: list[Quote], benchmarks: list[Benchmark] = ()) -> Stats:
    by_id = {company.id: company for company in companies}
    parent_of = {company.id: company.parent for company in companies}
    licence_of = {licence.id: licence for licence in licences}
    countries = {model.id: home_country(model.developers[0], by_id, parent_of) for model in models}
    by_year: dict[str, Counter] = {}
    for model in models:
        group = countries[model.id] if countries[model.id] in FOCUS else "other"
        by_year.setdefault(model.released[:4], Counter())[group] += 1
    developers = {developer for model in models for developer in model.developers}
    return Stats(
        totals={
            "models": len(models),
            "developers": len(developers),
            "developer countries": len({home_country(d, by_id, parent_of) for d in developers} - {"??"}),
            "companies": len(companies),
            "licences": len(licences),
            "quotes": len(quotes),
        },
        by_country=Counter(countries.values()),
        by_year=by_year,
        by_licence_kind=Counter(licence_of[model.licence].kind for model in models),
        by_architecture=Counter(model.architecture or "unknown" for model in models),
        by_access=Counter(model.access for model in models),
        by_developer=Counter(model.developers[0] for model in models),
        osi_share=(sum(1 for model in models if licence_of[model.licence].osi_approved), len(models)),
        null_fields=_null_fields(models),
        depth=_depth(models),
        openness=_openness(models, countries, licence_of),
        licence_terms_read=(sum(terms_read(licence) for licence in licences), len(licences)),
        quotes=_quotes(quotes, by_id, parent_of),
        leaders=_leaders(models, benchmarks, countries),
    )


def _leaders(models: list[Model], benchmarks: list[Benchmark], countries: dict[str, str]) -> dict[str, dict]:
    """Per benchmark, today's best developer-reported open-weight score of each country group, and China's lead over the US."""
    facts = {model.id: {"released": model.released, "name": model.name, "group": countries[model.id] if countries[model.id] in FOCUS else "other"} for model in models}
    results = [
        {"model_id": model.id, "benchmark": result.benchmark, "score": float(result.score), "score_text": result.score, "setting": result.setting, "independent": result.reporter not in model.developers}
        for model in models
        for result in model.evaluations
    ]
    found = {}
    for benchmark in sorted(benchmarks, key=lambda b: b.id):
        about = {"id": benchmark.id, "higher_is_better": benchmark.higher_is_better}
        bests = frontier.best_per_model(about, results, facts)
        if not bests:
            continue
        leading = frontier.leaders(about, bests)
        difference = frontier.gap(about, leading)
        found[benchmark.id] = {
            "name": benchmark.name,
            "leaders": {group: ({"model": best.model_id, "score": best.score_text, "released": best.released, "setting": best.setting} if best else None) for group, best in leading.items()},
            "china_minus_us": None if difference is None else round(difference, 2),
        }
    return found


def _quotes(quotes: list[Quote], companies: dict[str, Company], parent_of: dict[str, str | None]) -> dict[str, int]:
    """Quotes by the country of the speaker's organisation, and how precisely they are dated."""
    groups = Counter()
    for quote in quotes:
        company = quote.speaker.company
        country = home_country(company, companies, parent_of) if company else None
        groups["by speakers at Chinese organisations" if country == "CN" else "by speakers at US organisations" if country == "US" else "by speakers elsewhere" if company else "by speakers with no organisation"] += 1
    return dict(sorted(groups.items())) | {
        "dated": sum(quote.said is not None for quote in quotes),
        "dated to the day": sum(quote.said is not None and len(quote.said) == 10 for quote in quotes),
        "direct": sum(quote.kind == "direct" for quote in quotes),
    }


def _depth(models: list[Model]) -> dict[str, int]:
    """How many models carry each of the deeper facts."""
    graded = [sum(getattr(model.openness, name) is not None for name in GRADED) for model in models]
    since_2022 = [model for model in models if model.released >= "2022"]
    return {
        "licence changes": sum(bool(model.licence_changes) for model in models),
        "a variant under its own licence": sum(any(w.licence for w in model.weights) for model in models),
        "weights variants listed": sum(bool(model.weights) for model in models),
        "an announced date": sum(model.announced is not None for model in models),
        "a base model": sum(model.base_model is not None for model in models),
        "training tokens": sum(model.training.tokens is not None for model in models),
        "training compute": sum(model.training.compute_flop is not None for model in models),
        "training accelerator hours": sum(model.training.gpu_hours is not None for model in models),
        "training hardware": sum(model.training.hardware is not None for model in models),
        "any openness component graded": sum(count > 0 for count in graded),
        f"all {len(GRADED)} openness components graded": sum(count == len(GRADED) for count in graded),
        "openness grades in all": sum(graded),
        "a day-precise release date (since 2022)": sum(len(model.released) == 10 for model in since_2022),
        "a release date since 2022": len(since_2022),
    }


def _openness(models: list[Model], countries: dict[str, str], licence_of: dict[str, Licence]) -> dict[str, dict[str, float | int]]:
    """Per country group: models with a published openness score, and their mean and median score."""
    scores: dict[str, list[int]] = {}
    for model in models:
        grades = {name: getattr(model.openness, name) for name in GRADED} | {LICENCE_COMPONENT: LICENCE_GRADE.get(licence_of[model.licence].kind)}
        if all(grades.values()):
            points = sum(POINTS.get(grade, 0) for grade in grades.values())
            group = countries[model.id] if countries[model.id] in FOCUS else "other"
            scores.setdefault(group, []).append(round_half_up(100 * points / (2 * len(grades))))
    return {group: {"scored models": len(found), "mean score": round(sum(found) / len(found), 1), "median score": statistics.median(found)} for group, found in sorted(scores.items())}


def _null_fields(models: list[Model]) -> Counter:
    counts: Counter = Counter()
    for model in models:
        dumped = model.model_dump()
        for name, value in dumped.items():
            if isinstance(value, dict):
                counts.update(f"{name}.{key}" for key, inner in value.items() if inner is None)
            elif value is None or value == []:
                counts[name] += 1
    return counts


def render(stats: Stats, top: int = 12) -> str:
    lines = ["Open Weight Atlas in numbers", ""]
    lines += [f"  {name:<20} {count:>5}" for name, count in stats.totals.items()]
    osi, total = stats.osi_share
    lines += ["", f"Models under OSI-approved licences: {osi} of {total} ({_percent(osi, total)})"]
    lines += _section("Models by country of the lead developer (top-level parent)", stats.by_country, stats.totals["models"])
    lines += ["", "Open-weight releases per year (US / China / rest of the world)"]
    for year in sorted(stats.by_year):
        counts = stats.by_year[year]
        lines.append(f"  {year}  US {counts['US']:>3}   CN {counts['CN']:>3}   other {counts['other']:>3}   total {sum(counts.values()):>3}")
    lines += _section("Models by licence kind", stats.by_licence_kind, stats.totals["models"])
    read, licences = stats.licence_terms_read
    lines += ["", f"Licences with every term read (filled or named in absent_terms): {read} of {licences} ({_percent(read, licences)})"]
    lines += _section("Models by architecture", stats.by_architecture, stats.totals["models"])
    lines += _section("Models by access", stats.by_access, stats.totals["models"])
    lines += _section(f"Lead developers with most models (top {top})", Counter(dict(stats.by_developer.most_common(top))), stats.totals["models"])
    lines += _section("Model fields most often left null (unknown or unverified)", Counter(dict(stats.null_fields.most_common(8))), stats.totals["models"])
    lines += ["", "Models with"] + [f"  {name:<42} {count:>5}" for name, count in stats.depth.items()]
    lines += ["", "Quotes"] + [f"  {name:<42} {count:>5}" for name, count in stats.quotes.items()]
    lines += ["", "Benchmark leaders today: best developer-reported open-weight score by country (settings differ by lab)"]
    for found in stats.leaders.values():
        cells = [f"{group} {best['score']} ({best['model']})" if best else f"{group} -" for group, best in found["leaders"].items()]
        gap = found["china_minus_us"]
        lead = "n/a" if gap is None else ("even" if gap == 0 else f"{'China' if gap > 0 else 'US'} ahead by {abs(gap):g}")
        lines.append(f"  {found['name']:<20} {' | '.join(cells)} | {lead}")
    lines += ["", "Openness score by country (models with every component graded; docs/openness.md)"]
    lines += [f"  {group:<6} {found['scored models']:>4} models   mean {found['mean score']:>5}   median {found['median score']:>5}" for group, found in stats.openness.items()]
    return "\n".join(lines) + "\n"


def _section(title: str, counts: Counter, total: int) -> list[str]:
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ["", title] + [f"  {name:<28} {count:>4}  {_percent(count, total):>6}" for name, count in rows]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
