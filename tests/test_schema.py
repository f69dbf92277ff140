"""The committed JSON Schemas match the model, and every model field is documented."""

from __future__ import annotations

from pydantic import BaseModel

from generator.content import model
from generator.content.schema import SCHEMA_FOLDER, schema_files

from .conftest import ROOT


def test_committed_schemas_are_current() -> None:
    for name, data in schema_files().items():
        committed = ROOT / SCHEMA_FOLDER / name
        assert committed.exists(), f"{committed} is missing: run python -m generator schema"
        assert committed.read_bytes() == data, f"{committed} is stale: run python -m generator schema"


def test_every_field_has_a_description() -> None:
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, model.Strict) and value is not model.Strict:
            assert value.__doc__, value
            for name, field in value.model_fields.items():
                assert field.description, f"{value.__name__}.{name} has no description"
    assert issubclass(model.Plan, BaseModel)
