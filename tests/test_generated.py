"""Generated files committed to the repository must match what the code generates now."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from owatlas.generated import generated_files
from owatlas.schema import TABLES

FIX = "run `owatlas build` at the root of the checkout and commit the result"


@pytest.mark.parametrize("name", sorted(generated_files()))
def test_generated_file_is_fresh(name):
    path = ROOT / name
    assert path.exists() and generated_files()[name] == path.read_bytes(), f"{name} is stale: {FIX}"


def test_json_schemas_are_closed_and_describe_every_field():
    for table in TABLES:
        schema = json.loads((ROOT / "schema" / f"{table}.schema.json").read_text())
        assert schema["additionalProperties"] is False
        missing = [name for name, field in schema["properties"].items() if not field.get("description")]
        assert [] == missing, table


def test_field_reference_lists_every_field():
    text = (ROOT / "docs" / "fields.md").read_text()
    for table, model in TABLES.items():
        assert f"\n## {table}\n" in text
        for name in model.model_fields:
            assert f"| `{name}` |" in text, (table, name)


def test_datapackage_declares_licence_version_keys_and_descriptions():
    package = json.loads((ROOT / "datapackage.json").read_text())
    assert "CC-BY-4.0" == package["licenses"][0]["name"]
    assert package["version"]
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"], resource["name"]
        assert all(field["description"] for field in resource["schema"]["fields"]), resource["name"]
    models = next(r for r in package["resources"] if r["name"] == "models")
    keys = {fk["fields"][0]: fk["reference"]["resource"] for fk in models["schema"]["foreignKeys"]}
    assert {"licence": "licences", "code_licence": "licences", "base_model": "", "licence_at_release": "licences"} == keys
