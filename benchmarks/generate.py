"""Write a synthetic, valid records tree of N records in the atlas's own schema.

    python benchmarks/generate.py 10000 /tmp/corpus-10k

Proportions follow the real atlas (mostly models, then quotes, companies and licences); every
reference resolves, every filled field is backed by a source, and the text reads like the real
records (about 1.7 KB per record). The same N and seed give the same tree.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from owatlas.schema import GRADED

WORDS = (
    "open weights model card release licence commercial research parameters context tokens "
    "training data mixture experts dense instruct base developer announcement repository "
    "benchmark evaluation safety policy community acceptable use attribution threshold monthly "
    "users revenue distillation synthetic multilingual reasoning vision audio checkpoint"
).split()
COUNTRIES = ["US", "CN", "FR", "GB", "DE", "CA", "KR", "AE", "IL", "JP", "IN", "NO"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def source(rng: random.Random, supports: list[str], index: int, url: str | None = None) -> str:
    return (
        f"  - url: {url or f'https://example.org/{rng.choice(WORDS)}/{index}'}\n"
        f"    title: {sentence(rng, 6)[:-1]}\n"
        f"    publisher: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}\n"
        f"    published: '20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}'\n"
        f"    accessed: '2026-11-01'\n"
        f"    supports: [{', '.join(supports)}]\n"
    )


def company(rng: random.Random, index: int) -> str:
    return (
        f"id: company-{index}\nname: {sentence(rng, 2)[:-1]}\nlegal_name: null\naliases: []\nkind: company\n"
        f"country: '{rng.choice(COUNTRIES)}'\nheadquarters: {rng.choice(WORDS).capitalize()}\nfounded: '{rng.randint(1990, 2024)}'\n"
        f"parent: null\nwebsite: https://example.org/company-{index}\nwikidata: null\nsources:\n"
        + source(rng, ["name", "country", "headquarters", "founded", "website"], index)
        + f"notes: {sentence(rng, 30)}\n"
    )


def licence(rng: random.Random, index: int) -> str:
    return (
        f"id: licence-{index}\nname: {sentence(rng, 4)[:-1]}\nspdx_id: null\nurl: https://example.org/licence-{index}\n"
        f"osi_approved: false\nkind: restricted\ncommercial_use: true\nmau_threshold: {rng.randint(1, 900) * 1000000}\n"
        f"monthly_revenue_threshold_usd: null\nthreshold_terms: {sentence(rng, 12)}\nattribution: Built with {rng.choice(WORDS)}\n"
        f"acceptable_use_policy: https://example.org/aup-{index}\nrestricts_output_training: false\nexcluded_territories: [EU]\nsources:\n"
        + source(rng, ["name", "url", "osi_approved", "commercial_use", "mau_threshold", "threshold_terms", "attribution", "acceptable_use_policy", "restricts_output_training", "excluded_territories"], index)
        + "notes: null\n"
    )


def model(rng: random.Random, index: int, companies: int, licences: int) -> str:
    total = rng.randint(1, 1000) * 1_000_000_000
    moe = rng.random() < 0.3
    active = f"{total // 8}" if moe else "null"
    base = f"model-{rng.randrange(index)}" if index and rng.random() < 0.2 else "null"
    supports = ["name", "developers", "released", "parameters", "architecture", "modalities", "context_length", "licence", "weights", "access", "training", "openness"]
    if base != "null":
        supports.append("base_model")
    grades = "".join(f"  {name}: {rng.choice(['open', 'partial', 'closed', 'null'])}\n" for name in GRADED)
    changes, current = "[]", rng.randrange(licences)
    if licences > 1 and rng.random() < 0.1:
        supports.append("licence_changes")
        changes = f"\n  - date: '2026-01'\n    from_licence: licence-{(current + 1) % licences}\n    to_licence: licence-{current}\n    source: https://example.org/licence-change/{index}"
    return (
        f"id: model-{index}\nname: Model {index}\nfamily: {rng.choice(WORDS).capitalize()} {rng.randint(1, 5)}\n"
        f"developers: [company-{rng.randrange(companies)}]\nreleased: '20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'\n"
        f"parameters:\n  total: {total}\n  active: {active}\n  approximate: true\narchitecture: {'moe' if moe else 'dense'}\n"
        f"modalities:\n  input: [text{', image' if rng.random() < 0.3 else ''}]\n  output: [text]\ncontext_length: {rng.choice([4096, 8192, 32768, 131072])}\n"
        f"licence: licence-{current}\nlicence_changes: {changes}\ncode_licence: null\n"
        f"weights:\n  - repository: example/model-{index}\n    variant: base\n    licence: null\n"
        f"  - repository: example/model-{index}-instruct\n    variant: instruct\n    licence: null\n"
        f"access: {rng.choice(['open', 'gated'])}\nbase_model: {base}\n"
        f"training:\n  tokens: {rng.randint(1, 40) * 10**12}\n  compute_flop: '{rng.randint(1, 9)}e{rng.randint(21, 25)}'\n  gpu_hours: null\n  hardware: null\n"
        f"openness:\n{grades}  technical_report_url: https://example.org/report-{index}\nsources:\n"
        + source(rng, supports[:6], index)
        + source(rng, supports[6:], index + 1, f"https://example.org/licence-change/{index}")
        + f"notes: {sentence(rng, 40)}\n"
    )


def quote(rng: random.Random, index: int, companies: int, models: int) -> str:
    return (
        f"id: quote-{index}\ntext: {sentence(rng, 35)}\nkind: direct\nspeaker:\n  name: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}\n"
        f"  role: Chief {rng.choice(WORDS)} officer\n  company: company-{rng.randrange(companies)}\nsaid: '2025-{rng.randint(1, 12):02d}'\n"
        f"about:\n  models: [model-{rng.randrange(models)}]\n  companies: []\ntopics: [open-weights]\nlanguage: en\nsources:\n"
        + source(rng, ["text", "speaker", "said"], index)
        + "notes: null\n"
    )


def generate(count: int, out: Path, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    sizes = {"companies": max(1, count // 20), "licences": max(1, count // 100), "quotes": count // 10}
    sizes["models"] = max(1, count - sum(sizes.values()))
    for table in sizes:
        (out / "records" / table).mkdir(parents=True, exist_ok=True)
    for index in range(sizes["companies"]):
        (out / "records/companies" / f"company-{index}.yaml").write_text(company(rng, index))
    for index in range(sizes["licences"]):
        (out / "records/licences" / f"licence-{index}.yaml").write_text(licence(rng, index))
    for index in range(sizes["models"]):
        (out / "records/models" / f"model-{index}.yaml").write_text(model(rng, index, sizes["companies"], sizes["licences"]))
    for index in range(sizes["quotes"]):
        (out / "records/quotes" / f"quote-{index}.yaml").write_text(quote(rng, index, sizes["companies"], sizes["models"]))
    return sizes


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
