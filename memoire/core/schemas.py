"""Building blocks of the marshmallow schemas that describe every input and answer once.

The fields are strict (JSON `true` is not the number 1, `"3"` is not a number) and fail
with the project's own `ValidationError`, translated and naming the key at fault, so a
schema's `load` answers as the hand-written readers it replaced did. The same classes
describe the shapes in the generated OpenAPI document (`memoire.api.openapi`).
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, RAISE, Schema, fields
from marshmallow import ValidationError as SchemaError

from memoire.core.errors import ValidationError


def enum_of(enum: type[Enum] | list, **metadata) -> dict:
    """Field metadata listing the allowed values: taken from the model's enum, never retyped."""
    values = [getattr(member, "value", member) for member in enum]
    return {"enum": values, **metadata}


def nullable(field: fields.Field) -> fields.Field:
    """The same field, accepting null (described as "… or null")."""
    field.allow_none = True
    return field


class Closed(Schema):
    """An object that refuses keys it does not describe (`additionalProperties: false`)."""

    class Meta:
        unknown = RAISE


class Open(Schema):
    """An object that may carry keys it does not describe (IIIF, JSON-LD, GeoJSON...)."""

    class Meta:
        unknown = INCLUDE


class Answer(Closed):
    """An answer of ours: closed, every field always present unless named in `OPTIONAL`."""

    OPTIONAL: tuple[str, ...] = ()


class OpenAnswer(Open):
    """An answer that may carry more than it describes; `REQUIRED` names what it always has."""

    REQUIRED: tuple[str, ...] = ()


def load(schema: Schema, data, *, where=None) -> dict:
    """`data` read by `schema`; the first problem as a `ValidationError` naming its key."""
    if not isinstance(data, dict):
        raise ValidationError(_l("The request body must be a JSON object."), field="body")
    unknown = sorted(set(data) - {f.data_key or name for name, f in schema.fields.items()})
    if unknown:
        keys = ", ".join(unknown)
        if where is None:
            raise ValidationError(_l("Unknown key: %(keys)s", keys=keys), field=unknown[0])
        raise ValidationError(
            _l("Unknown key(s) in %(where)s: %(keys)s", where=where, keys=keys), field=unknown[0]
        )
    try:
        return schema.load(data)
    except SchemaError as error:  # what our fields do not raise themselves: a missing key
        key, messages = next(iter(error.normalized_messages().items()))
        message = messages[0] if isinstance(messages, list) else messages
        raise ValidationError(message, field=key) from None


def whole_number(args, name: str, default: int, low: int, high: int) -> int:
    """A whole-number argument (`?page=2`) within bounds, else ValidationError naming it."""
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError(_l("%(name)s must be a whole number.", name=name), field=name) from None
    if not low <= value <= high:
        raise ValidationError(
            _l("%(name)s must be between %(low)s and %(high)s.", name=name, low=low, high=high),
            field=name,
        )
    return value


# --- strict fields failing with the project's errors ------------------------------------------


class _Strict:
    """Mixin: a value of the wrong JSON type (or null where none is allowed) fails naming its key."""

    def message(self, name: str):
        return _l("%(name)s has the wrong type.", name=name)

    @property
    def key(self) -> str:
        return self.data_key or self.name

    def wrong(self):
        return ValidationError(self.message(self.key), field=self.key)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is None and not self.allow_none:
            raise self.wrong()
        return super().deserialize(value, attr, data, **kwargs)


class Text(_Strict, fields.String):
    def message(self, name):
        return _l("%(name)s must be a text.", name=name)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.wrong()
        return value


class Flag(_Strict, fields.Boolean):
    def message(self, name):
        return _l("%(name)s must be true or false.", name=name)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.wrong()
        return value


class Number(_Strict, fields.Float):
    def message(self, name):
        return _l("%(name)s must be a number.", name=name)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.wrong()
        return float(value)


class Whole(_Strict, fields.Integer):
    def message(self, name):
        return _l("%(name)s must be a whole number.", name=name)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong()
        return value


class Day(_Strict, fields.Date):
    def message(self, name):
        return _l("%(name)s must be a date such as 1978-06-21.", name=name)

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if not isinstance(value, str):
            raise self.wrong()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.wrong() from None


class Items(_Strict, fields.List):
    def message(self, name):
        return _l("%(name)s must be a list.", name=name)

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        if not isinstance(value, list):
            raise self.wrong()
        return [self.inner.deserialize(item, attr, data, **kwargs) for item in value]


class Object(_Strict, fields.Nested):
    """A nested object; a key it does not describe fails naming `where` ("the consent")."""

    def __init__(self, nested, *, where=None, as_one: bool = False, **kwargs):
        super().__init__(nested, **kwargs)
        self.where = where
        self.as_one = as_one  # any problem inside is reported as this key's (items of a list)

    def message(self, name):
        return _l("%(name)s must be an object.", name=name)

    def _deserialize(self, value, attr, data, **kwargs) -> dict:
        if not isinstance(value, dict):
            raise self.wrong()
        try:
            return load(self.schema, value, where=self.where or self.key)
        except ValidationError as error:
            if self.as_one or error.field in set(value) - set(self.schema.fields):
                error.field = self.key  # an unknown key is the object's fault
            raise
