"""Files of the checkout generated from the schema: kept in the repository, refreshed by the build."""

from __future__ import annotations

import os
from pathlib import Path

from . import datapackage, fielddocs, jsonschema
from .tabular import release_tables


def generated_files() -> dict[str, bytes]:
    """Repo-relative path -> content of every generated file."""
    files = {"datapackage.json": datapackage.render(release_tables({}))}
    files |= {f"schema/{name}": content for name, content in jsonschema.schema_files().items()}
    files["docs/fields.md"] = fielddocs.render().encode("utf-8")
    return files


def refresh(root: Path) -> list[str]:
    """Rewrite the generated files that differ; return their paths."""
    changed = []
    for name, content in generated_files().items():
        path = root / name
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            temporary.write_bytes(content)
            temporary.replace(path)
            changed.append(name)
    return changed
