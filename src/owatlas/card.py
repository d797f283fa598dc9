"""The dataset card (README.md) shipped in every release; its front matter is the Hugging Face
`datasets` configuration, one config per table."""

from __future__ import annotations


from . import __data_version__
from .tabular import Table

DEFAULT_CONFIG = "models"


def render(tables: list[Table]) -> str:
    # `datasets` cannot load a Parquet file without rows, so an empty table gets no config.
    configs = [
        {"config_name": t.name, "data_files": f"parquet/{t.name}.parquet"} | ({"default": True} if t.name == DEFAULT_CONFIG else {})
        for t in tables
        if t.row_count
    ]
    front = [
        "---",
        "license: cc-by-4.0",
        "pretty_name: Open Weight Atlas",
        "language:",
        "  - en",
        "tags:",
        "  - open-weight models",
        "  - licences",
        "  - llm",
        "configs:",
    ]
    for config in configs:
        front.append(f"  - config_name: {config['config_name']}")
        front.append(f"    data_files: {config['data_files']}")
        if config.get("default"):
            front.append("    default: true")
    front.append("---")
    body = [
        f"# Open Weight Atlas — data version {__data_version__}",
        "",
        "The open-weight AI landscape: released models, the organisations behind them, the licences",
        "they ship under and what people on record said about them. Every fact cites its sources, field",
        "by field (table `sources`); unknown values are empty, never guessed.",
        "",
        "## Tables",
        "",
        "| table | rows | description |",
        "|---|---|---|",
    ]
    body += [f"| `{t.name}` | {t.row_count} | {t.description} |" for t in tables]
    body += [
        "",
        "Each table is in `parquet/` (nested fields as structs and lists) and `csv/` (flat; lists as JSON",
        "arrays). `datapackage.json` describes every column, key and foreign key; `SHA256SUMS` lets",
        "`sha256sum -c SHA256SUMS` check every file.",
        "",
        "## Loading",
        "",
        "```python",
        "import pandas as pd",
        'models = pd.read_parquet("parquet/models.parquet")',
        "",
        "from datasets import load_dataset",
        'models = load_dataset("open-weight-atlas-release", "models", split="train")  # this folder',
        "",
        "import owatlas                                          # pip install open-weight-atlas",
        f'models = owatlas.load("models", version="{__data_version__}")',
        "```",
        "",
        "## Licence and citation",
        "",
        "CC BY 4.0: credit \"Open Weight Atlas contributors\". Cite as:",
        "",
        f"> Open Weight Atlas contributors. *Open Weight Atlas* (data version {__data_version__}). Dataset, CC BY 4.0.",
        "",
    ]
    return "\n".join(front + body)


def config_files(card: str) -> dict[str, str]:
    """config_name -> data file, read back from a card's front matter (for tools without `datasets`)."""
    import yaml

    front = card.split("---\n")[1]
    return {config["config_name"]: config["data_files"] for config in yaml.safe_load(front)["configs"]}


