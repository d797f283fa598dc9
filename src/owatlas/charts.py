"""The atlas's charts as self-contained, accessible SVG (a title, a description, no scripts, no fonts
to fetch), drawn from the release tables."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape

GROUPS = ("US", "CN", "other")
GROUP_NAMES = {"US": "United States", "CN": "China", "other": "Rest of the world"}
COLOURS = {"US": "#1f5fa8", "CN": "#c8372d", "other": "#8a8f98"}
KIND_COLOURS = {"permissive": "#2e8b57", "copyleft": "#6a3d9a", "restricted": "#e08a00", "non-commercial": "#b22222"}
WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 70


@dataclass(frozen=True)
class Chart:
    """One chart: its file name, its SVG, and the numbers behind it (shown as a table beside it)."""

    name: str
    title: str
    description: str
    svg: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]


def group(country: str | None) -> str:
    return country if country in ("US", "CN") else "other"


def quarter(released: str) -> str | None:
    """'2025-08-05' or '2025-08' -> '2025 Q3'; a year alone has no quarter."""
    if len(released) < 7:
        return None
    return f"{released[:4]} Q{(int(released[5:7]) - 1) // 3 + 1}"


def releases_by_quarter(models: list[dict], country_of: dict[str, str | None]) -> Chart:
    counts: dict[str, Counter] = defaultdict(Counter)
    undated = 0
    for model in models:
        period = quarter(model["released"])
        if period is None:
            undated += 1
            continue
        counts[period][group(country_of[model["id"]])] += 1
    periods = _quarters(min(counts), max(counts)) if counts else []
    series = {name: [counts.get(period, Counter())[name] for period in periods] for name in GROUPS}
    title = "Open-weight model releases per quarter, by country of the developer"
    description = (
        f"Stacked bars: for each quarter, the number of models whose weights were first released, split into the "
        f"United States, China and the rest of the world (country of the lead developer's top-level organisation; "
        f"developers whose country is not recorded count as rest of the world). "
        f"{undated} models dated only by year are not shown."
    )
    svg = stacked_bars(periods, series, COLOURS, GROUP_NAMES, title, description, label_every=4)
    rows = tuple((period, *(series[name][index] for name in GROUPS)) for index, period in enumerate(periods))
    return Chart("releases-by-quarter", title, description, svg, ("quarter", *(GROUP_NAMES[g] for g in GROUPS)), rows)


def licence_kinds_by_year(models: list[dict], kind_of: dict[str, str]) -> Chart:
    counts: dict[str, Counter] = defaultdict(Counter)
    for model in models:
        counts[model["released"][:4]][kind_of[model["licence"]]] += 1
    years = [str(year) for year in range(int(min(counts)), int(max(counts)) + 1)] if counts else []
    kinds = list(KIND_COLOURS)
    series = {kind: [counts.get(year, Counter())[kind] for year in years] for kind in kinds}
    title = "Licence kinds of open-weight releases per year"
    description = "Stacked bars: for each year, the number of models released under permissive, copyleft, restricted (use or size conditions) and non-commercial licences."
    svg = stacked_bars(years, series, KIND_COLOURS, {k: k for k in kinds}, title, description, label_every=1)
    rows = tuple((year, *(series[kind][index] for kind in kinds)) for index, year in enumerate(years))
    return Chart("licence-kinds-by-year", title, description, svg, ("year", *kinds), rows)


def parameters_over_time(models: list[dict], country_of: dict[str, str | None]) -> Chart:
    points = [
        (_decimal_year(model["released"]), model["parameters"]["total"], group(country_of[model["id"]]), model["name"])
        for model in models
        if model["parameters"]["total"]
    ]
    title = "Total parameters of open-weight models over time (log scale)"
    description = (
        "Each dot is a model: its first release date across, its total parameter count up a logarithmic scale, "
        "coloured by the country of its developer."
    )
    svg = scatter_log(points, title, description)
    rows = tuple((name, f"{when:.2f}", total, GROUP_NAMES[where]) for when, total, where, name in sorted(points))
    return Chart("parameters-over-time", title, description, svg, ("model", "year", "total parameters", "country"), rows)


MIN_GRADED = 7  # of the 13 openness components: fewer, and a model's share says too little


def openness_shares(model_openness) -> dict[str, float]:
    """Each model's 100 × (open + ½ × partial) / graded components, from the model_openness table
    (Arrow), for the models with at least MIN_GRADED graded components."""
    import pyarrow as pa
    import pyarrow.compute as pc

    grade = model_openness["grade"]
    points = pc.if_else(pc.equal(grade, "open"), 1.0, pc.if_else(pc.equal(grade, "partial"), 0.5, 0.0))
    graded = pc.cast(pc.not_equal(grade, "unknown"), pa.int64())
    totals = pa.table({"model_id": model_openness["model_id"], "points": points, "graded": graded}).group_by("model_id").aggregate([("points", "sum"), ("graded", "sum")])
    found = zip(totals["model_id"].to_pylist(), totals["points_sum"].to_pylist(), totals["graded_sum"].to_pylist(), strict=True)
    return {model: 100 * total / count for model, total, count in found if count >= MIN_GRADED}


def openness_by_country(models: list[dict], country_of: dict[str, str | None], share_of: dict[str, float]) -> Chart:
    shares: dict[tuple[str, str], list[float]] = defaultdict(list)
    for model in models:
        share = share_of.get(model["id"])
        if share is not None:
            shares[model["released"][:4], group(country_of[model["id"]])].append(share)
    found = sorted({year for year, _ in shares})
    years = [str(year) for year in range(int(found[0]), int(found[-1]) + 1)] if found else []
    series = {g: [_mean(shares.get((year, g))) for year in years] for g in GROUPS}
    title = "How open are open-weight releases? Mean openness share by year"
    description = (
        f"Lines: for each year of first release, the mean openness share of the models of US, Chinese and other developers. "
        f"A model's share is 100 × (open + ½ × partial) / graded components of the 13 in docs/openness.md; "
        f"only models with at least {MIN_GRADED} graded components count. A gap in a line is a year without such a model."
    )
    svg = lines(years, series, title, description)
    rows = tuple((year, *(_cell(series[g][index], len(shares.get((year, g), ()))) for g in GROUPS)) for index, year in enumerate(years))
    return Chart("openness-by-country", title, description, svg, ("year", *(GROUP_NAMES[g] for g in GROUPS)), rows)


def _mean(values: list[float] | None) -> float | None:
    return sum(values) / len(values) if values else None


def _cell(value: float | None, count: int) -> str:
    return "–" if value is None else f"{value:.0f} ({count} model{'s' if count != 1 else ''})"


def lines(categories: list[str], series: dict[str, list[float | None]], title: str, description: str) -> str:
    """One line per country group over 0–100, a dot per value; None leaves a gap."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(categories), 1)
    parts = _open(title, description)
    parts += _y_axis_linear(100, 25, plot_h)
    for index, category in enumerate(categories):
        parts.append(f'<text x="{LEFT + (index + 0.5) * band:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{escape(category)}</text>')
    for name, values in series.items():
        points = [(LEFT + (index + 0.5) * band, TOP + plot_h - value / 100 * plot_h, value, categories[index]) for index, value in enumerate(values) if value is not None]
        runs, run = [], []
        for index, value in enumerate(values):
            if value is None:
                runs.append(run)
                run = []
            else:
                run.append((LEFT + (index + 0.5) * band, TOP + plot_h - value / 100 * plot_h))
        runs.append(run)
        for segment in runs:
            if len(segment) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[name]}" stroke-width="2"/>')
        for x, y, value, category in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS[name]}"><title>{escape(GROUP_NAMES[name])}, {escape(category)}: {value:.0f}</title></circle>')
    parts += _legend([(GROUP_NAMES[g], COLOURS[g]) for g in GROUPS])
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_bars(categories: list[str], series: dict[str, list[int]], colours: dict, names: dict, title: str, description: str, label_every: int) -> str:
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    step = _nice(peak / 4)
    scale_top = step * math.ceil(peak / step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(categories), 1)
    parts = _open(title, description)
    parts += _y_axis_linear(scale_top, step, plot_h)
    for index, category in enumerate(categories):
        x = LEFT + index * band + band * 0.12
        y = TOP + plot_h
        for name, values in series.items():
            height = values[index] / scale_top * plot_h
            if values[index]:
                y -= height
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{band * 0.76:.1f}" height="{height:.1f}" fill="{colours[name]}"><title>{escape(category)}: {values[index]} {escape(str(names[name]))}</title></rect>')
        if index % label_every == 0:
            parts.append(f'<text x="{x + band * 0.38:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{escape(category)}</text>')
    parts += _legend([(names[name], colours[name]) for name in series])
    parts.append("</svg>")
    return "\n".join(parts)


def scatter_log(points: list[tuple[float, int, str, str]], title: str, description: str) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _open(title, description)
    if points:
        first, last = math.floor(min(p[0] for p in points)), math.ceil(max(p[0] for p in points))
        low, high = math.floor(math.log10(min(p[1] for p in points))), math.ceil(math.log10(max(p[1] for p in points)))
        high = max(high, low + 1)
        span = max(last - first, 1)
        for power in range(low, high + 1):
            y = TOP + plot_h - (power - low) / (high - low) * plot_h
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{magnitude(10 ** power)}</text>')
        for year in range(first, last + 1):
            x = LEFT + (year - first) / span * plot_w
            parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{year}</text>')
        for when, total, where, name in points:
            x = LEFT + (when - first) / span * plot_w
            y = TOP + plot_h - (math.log10(total) - low) / (high - low) * plot_h
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS[where]}" fill-opacity="0.75"><title>{escape(name)}: {magnitude(total)} parameters</title></circle>')
    parts += _legend([(GROUP_NAMES[g], COLOURS[g]) for g in GROUPS])
    parts.append("</svg>")
    return "\n".join(parts)


def _open(title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d" font-family="system-ui, sans-serif">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="600">{escape(title)}</text>',
    ]


def _y_axis_linear(top: int, step: int, plot_h: float) -> list[str]:
    parts = []
    value = 0
    while value <= top:
        y = TOP + plot_h - value / top * plot_h
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{value}</text>')
        value += step
    return parts


def _legend(entries: list[tuple[str, str]]) -> list[str]:
    parts, x = [], LEFT
    for name, colour in entries:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 26}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT - 16}" font-size="12">{escape(str(name))}</text>')
        x += 24 + 8 * len(str(name))
    return parts


def _nice(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at or above `value`."""
    power = 10 ** math.floor(math.log10(max(value, 1)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def _quarters(first: str, last: str) -> list[str]:
    year, number = int(first[:4]), int(first[-1])
    result = []
    while f"{year} Q{number}" <= last:
        result.append(f"{year} Q{number}")
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return result


def _decimal_year(released: str) -> float:
    year = int(released[:4])
    month = int(released[5:7]) if len(released) >= 7 else 7
    day = int(released[8:10]) if len(released) == 10 else 15
    return year + (month - 1) / 12 + (day - 1) / 365


def magnitude(value: float) -> str:
    """7241732096 -> '7.24B'."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:g}"


def frontier_chart(benchmark: dict, lines_by_group: dict, until: str) -> Chart:
    """Step lines: the best developer-reported score of each country group over time (frontier.steps)."""
    title = f"Open-weight frontier on {benchmark['name']}"
    direction = "highest" if benchmark["higher_is_better"] else "lowest"
    description = (
        f"Step lines: for each date, the {direction} {benchmark['metric']} score on {benchmark['name']} that an open-weight model released "
        "by then reports from its own developer, for US, Chinese and other developers. Developers run their own settings "
        "(shots, chain of thought, sampling), so scores from different labs are not strictly comparable; see the table."
    )
    points = [best for line in lines_by_group.values() for best in line]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _open(title, description)
    if points:
        low = benchmark["scale_min"] if benchmark["scale_min"] is not None else math.floor(min(p.score for p in points))
        high = benchmark["scale_max"] if benchmark["scale_max"] is not None else math.ceil(max(p.score for p in points))
        high = high if high > low else low + 1
        first, last = math.floor(min(_decimal_year(p.released) for p in points)), math.ceil(_decimal_year(until))
        span = max(last - first, 1)

        def x(released: str) -> float:
            return LEFT + (_decimal_year(released) - first) / span * plot_w

        def y(score: float) -> float:
            return TOP + plot_h - (score - low) / (high - low) * plot_h

        for tick in range(5):
            value = low + (high - low) * tick / 4
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
            parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">{value:g}</text>')
        for year in range(first, last + 1):
            parts.append(f'<text x="{LEFT + (year - first) / span * plot_w:.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="middle">{year}</text>')
        for group, line in lines_by_group.items():
            if not line:
                continue
            path = []
            for index, best in enumerate(line):
                end = line[index + 1].released if index + 1 < len(line) else until
                path += [f"{x(best.released):.1f},{y(best.score):.1f}", f"{x(end):.1f},{y(best.score):.1f}"]
            parts.append(f'<polyline points="{" ".join(path)}" fill="none" stroke="{COLOURS[group]}" stroke-width="2"/>')
            for best in line:
                parts.append(f'<circle cx="{x(best.released):.1f}" cy="{y(best.score):.1f}" r="4" fill="{COLOURS[group]}"><title>{escape(best.model_name)} ({escape(best.released)}): {escape(best.score_text)}</title></circle>')
    parts += _legend([(GROUP_NAMES[g], COLOURS[g]) for g in GROUPS])
    parts.append("</svg>")
    rows = tuple((best.released, GROUP_NAMES[best.group], best.model_name, best.score_text, best.setting) for best in sorted(points, key=lambda b: (b.released, b.group)))
    return Chart(f"frontier-{benchmark['id']}", title, description, "\n".join(parts), ("from", "country", "model", "score", "setting (as reported)"), rows)
