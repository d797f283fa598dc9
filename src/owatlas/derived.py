"""Release columns and tables the atlas derives from records, each defined in docs/openness.md or
its column description: the licence at release, the licence each weights entry is under, and
openness by component with its score."""

from __future__ import annotations

from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from .schema import GRADED, LICENCE_TERMS

LICENCE_COMPONENT = "licence"
COMPONENTS = (*GRADED, LICENCE_COMPONENT)
GRADES = ("open", "partial", "closed", "unknown")
LICENCE_GRADE = {"permissive": "open", "copyleft": "open", "restricted": "partial", "non-commercial": "closed"}
POINTS = {"open": 2, "partial": 1}  # out of 2 per component


def model_columns():
    from .tabular import Column

    return [
        Column("licence_at_release", pa.string(), "Id of the licence the weights were first released under: the first licence change's from_licence, or else licence.", required=True),
        Column("openness_graded", pa.int64(), f"How many of the {len(COMPONENTS)} openness components are graded (docs/openness.md).", required=True),
        Column("openness_score", pa.int64(), f"100 × (open + ½ × partial) / {len(COMPONENTS)} over the openness components, rounded; null unless every component is graded (docs/openness.md)."),
    ]


def model_values(record) -> dict:
    changes = record.licence_changes
    # openness_graded and openness_score need the licence records: complete() fills them in.
    return {"licence_at_release": changes[0].from_licence if changes else record.licence, "openness_graded": 0, "openness_score": None}


def licence_columns():
    from .tabular import Column

    terms = ", ".join(LICENCE_TERMS)
    return [Column("terms_read", pa.bool_(), f"Whether every term ({terms}) is filled or named in absent_terms: the licence text was read for all of them.", required=True)]


def terms_read(licence) -> bool:
    return all(getattr(licence, term) is not None or term in licence.absent_terms for term in LICENCE_TERMS)


def licence_values(record) -> dict:
    return {"terms_read": terms_read(record)}


def weights_licence(record, entry) -> dict:
    return {"licence_in_force": entry.licence or record.licence}


def independent(record, entry) -> dict:
    return {"independent": entry.reporter not in record.developers}


@cache
def resolved(table: str, field: str) -> tuple:
    """The derived columns of the table of a list of sub-records: (function of record and entry, columns)."""
    from .tabular import Column

    return {
        ("models", "weights"): (weights_licence, [Column("licence_in_force", pa.string(), "Id of the licence these weights are under: their own licence, or else the model's.", required=True, references="licences")]),
        ("models", "evaluations"): (independent, [Column("independent", pa.bool_(), "Whether the reporter is not among the model's developers: an independent result.", required=True)]),
    }.get((table, field), (None, ()))


def openness_table(rows: list | None = None):
    """The model_openness table's shell; complete() fills it once every chunk is joined."""
    from .tabular import Column, Table

    columns = [
        Column("model_id", pa.string(), "Id of the model.", required=True),
        Column("component", pa.string(), "The openness component (docs/openness.md); licence is derived from the licence record.", required=True, enum=COMPONENTS),
        Column("grade", pa.string(), "open, partial, closed, or unknown where the component is not graded.", required=True, enum=GRADES),
    ]
    description = "Openness by component: one row per model and component, with its grade (docs/openness.md)."
    return Table("model_openness", "Model openness", description, columns, ["model_id", "component"], {}, [("model_id", "models")])


def complete(tables: dict) -> None:
    """Fill in what needs more than one record: the licence component, the openness table and scores."""
    models, licences, openness = tables["models"], tables["licences"], tables["model_openness"]
    arrow = models.arrow()
    if arrow.num_rows == 0:
        return
    kinds = pc.take(licences.arrow()["kind"], pc.index_in(arrow["licence"], licences.arrow()["id"]))
    grades = {name: pc.fill_null(pc.struct_field(arrow["openness"], name), "unknown") for name in GRADED}
    licence_grade = pa.array([LICENCE_GRADE.get(kind) for kind in kinds.to_pylist()], pa.string())
    grades[LICENCE_COMPONENT] = pc.fill_null(licence_grade, "unknown")
    points = [pc.if_else(pc.equal(grade, "open"), 2, pc.if_else(pc.equal(grade, "partial"), 1, 0)) for grade in grades.values()]
    graded = [pc.cast(pc.not_equal(grade, "unknown"), pa.int64()) for grade in grades.values()]
    total_points, total_graded = _sum(points), _sum(graded)
    score = pc.round(pc.divide(pc.multiply(pc.cast(total_points, pa.float64()), 100.0), 2.0 * len(COMPONENTS)), round_mode="half_up")
    score = pc.if_else(pc.equal(total_graded, len(COMPONENTS)), pc.cast(score, pa.int64()), pa.scalar(None, pa.int64()))
    arrow = arrow.set_column(arrow.schema.get_field_index("openness_graded"), arrow.schema.field("openness_graded"), total_graded)
    arrow = arrow.set_column(arrow.schema.get_field_index("openness_score"), arrow.schema.field("openness_score"), score)
    models._arrow = arrow
    count = arrow.num_rows
    ids = arrow["id"].combine_chunks()
    long = pa.Table.from_arrays(
        [
            pa.concat_arrays([ids] * len(COMPONENTS)),
            pa.concat_arrays([pa.array([name] * count, pa.string()) for name in COMPONENTS]),
            pa.concat_arrays([_array(grade) for grade in grades.values()]),
            pa.concat_arrays([pa.array([position] * count, pa.int64()) for position in range(len(COMPONENTS))]),
        ],
        names=["model_id", "component", "grade", "position"],
    )
    order = pc.sort_indices(long, sort_keys=[("model_id", "ascending"), ("position", "ascending")])
    openness._arrow = long.take(order).drop(["position"]).cast(openness.arrow().schema)


def round_half_up(value: float) -> int:
    """12.5 -> 13, as Arrow's round(..., round_mode='half_up') does for the release's scores."""
    return int(value + 0.5)


def _sum(arrays: list):
    total = arrays[0]
    for array in arrays[1:]:
        total = pc.add(total, array)
    return total


def _array(values) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
