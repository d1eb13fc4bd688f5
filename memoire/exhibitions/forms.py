"""Forms of the exhibition editor; they work without JavaScript."""

from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms import ValidationError as FormError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from memoire.exhibitions.operations import SLUG_MAX, TITLE_MAX

#: Languages an exhibition may be in, by their own names.
LANGUAGE_CHOICES = [
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("en", "English"),
    ("wa", "Walon"),
    ("pcd", "Picard"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pl", "Polski"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
]


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options."""
    return [SelectChoice(value, label) for value, label in pairs]


_TIME = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d+)?)$")


def parse_time(text: str | None) -> float | None:
    """Seconds from "75", "1:15", "1:15.5" or "0:01:15" (comma decimals too); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    hours, minutes, seconds = match.groups()
    value = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def format_time(seconds: float | None) -> str:
    """The editor's way of writing a time: M:SS or H:MM:SS, with tenths when needed."""
    if seconds is None:
        return ""
    whole = int(seconds)
    tenths = round((seconds - whole) * 10)
    if tenths == 10:
        whole, tenths = whole + 1, 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"{text}.{tenths}" if tenths else text


def _time_field(form, field) -> None:
    try:
        field.seconds = parse_time(field.data)
    except ValueError:
        raise FormError(_l("Write a time as seconds (75) or minutes:seconds (1:15).")) from None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExhibitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    slug = StringField(
        _l("Short name in the address"),
        validators=[Optional(), Length(max=SLUG_MAX)],
        description=_l(
            "Lower-case letters, digits and dashes, e.g. memoires-de-la-fosse. Left empty, it is made from the title."
        ),
    )
    introduction = TextAreaField(
        _l("Introduction"), description=_l("Shown under the title; Markdown is allowed.")
    )
    languages = MultiCheckboxField(
        _l("Languages"), choices=choices(LANGUAGE_CHOICES), default=["fr"]
    )
    cover = SelectField(
        _l("Cover photo"),
        coerce=int,
        choices=choices([(0, "")]),
        default=0,
        description=_l(
            "One of the photos of the exhibition's stories. Without one, the first item's photo is used."
        ),
    )
    submit = SubmitField(_l("Save"))


class ItemForm(FlaskForm):
    caption = TextAreaField(_l("Caption"))
    photo = SelectField(_l("Photo"), coerce=int, choices=choices([(0, "")]), default=0)
    start = StringField(_l("Excerpt starts at"), validators=[_time_field])
    end = StringField(_l("Excerpt ends at"), validators=[_time_field])


class AddItemForm(FlaskForm):
    story = StringField(
        _l("Story number or external id"),
        validators=[DataRequired()],
        description=_l(
            "Only published, public stories whose consent allows exhibitions can be added."
        ),
    )
    submit = SubmitField(_l("Add to the exhibition"))
