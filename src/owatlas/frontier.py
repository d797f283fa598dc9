"""The capability frontier: for each benchmark, the best developer-reported open-weight score
available at each date, by country group of the developer (US, China, the rest of the world).

A model's score counts from the day its weights were released. Only results its developer
reported are compared (independent evaluators run other settings); settings still differ from
lab to lab, which every chart and table says.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS = ("US", "CN", "other")


@dataclass(frozen=True)
class Best:
    """A model's best developer-reported score on one benchmark, from its release day."""

    released: str  # YYYY[-MM[-DD]], as the record writes it
    model_id: str
    model_name: str
    group: str
    score: float
    score_text: str
    setting: str


def best_per_model(benchmark: dict, results: list[dict], models: dict[str, dict]) -> list[Best]:
    """Each model's best result on `benchmark` (its scale's direction decides), oldest release first.

    `results` rows have model_id, benchmark, score, score_text, setting, independent; `models` maps
    an id to released (text), name and group.
    """
    better = max if benchmark["higher_is_better"] else min
    chosen: dict[str, dict] = {}
    for row in results:
        if row["benchmark"] != benchmark["id"] or row["independent"]:
            continue
        current = chosen.get(row["model_id"])
        chosen[row["model_id"]] = row if current is None else better(current, row, key=lambda item: item["score"])
    found = [
        Best(models[model]["released"], model, models[model]["name"], models[model]["group"], row["score"], row["score_text"], row["setting"])
        for model, row in chosen.items()
    ]
    return sorted(found, key=lambda best: (best.released, best.model_id))


def steps(benchmark: dict, bests: list[Best]) -> dict[str, list[Best]]:
    """Per group, the models that raised that group's best score, in date order: the frontier's steps."""
    higher = benchmark["higher_is_better"]
    frontier: dict[str, list[Best]] = {group: [] for group in GROUPS}
    for best in bests:
        line = frontier[best.group]
        if not line or (best.score > line[-1].score if higher else best.score < line[-1].score):
            line.append(best)
    return frontier


def leaders(benchmark: dict, bests: list[Best]) -> dict[str, Best | None]:
    """Today's leader of each group: the last step of its frontier."""
    return {group: (line[-1] if line else None) for group, line in steps(benchmark, bests).items()}


def gap(benchmark: dict, leading: dict[str, Best | None]) -> float | None:
    """China's best minus the US's best, in the benchmark's points, signed so that positive means China leads."""
    us, cn = leading["US"], leading["CN"]
    if us is None or cn is None:
        return None
    difference = cn.score - us.score
    return difference if benchmark["higher_is_better"] else -difference
