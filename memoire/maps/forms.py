"""Forms of the subjective map pages; they work without JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from memoire.maps.models import Feeling
from memoire.maps.presenters import FEELING_LABELS


class LayerForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Give the map a title.")), Length(max=300)],
        description=_l("For example: Our walk to school, Epinlieu."),
    )
    group_name = StringField(
        _l("Group"),
        validators=[Length(max=300)],
        description=_l("Who draws it, for example: Atelier Epinlieu, mars 2026."),
    )
    description = TextAreaField(_l("About this map"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Save"))


def feeling_choices() -> list[SelectChoice]:
    return [SelectChoice(f.value, FEELING_LABELS[f.value]) for f in Feeling]


class FeatureForm(FlaskForm):
    """What a drawn feature says; its shape is drawn on the map (or imported)."""

    label = StringField(_l("Label"), validators=[Length(max=300)])
    feeling = RadioField(
        _l("Feeling"),
        choices=feeling_choices(),
        validators=[InputRequired(message=_l("Choose a feeling."))],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5000)])
    author_name = StringField(
        _l("Said by"),
        validators=[Length(max=200)],
        description=_l("A first name or a pseudonym is enough."),
    )
    story_id = StringField(
        _l("Linked memory (number)"),
        validators=[Optional(), Length(max=200)],
        description=_l("The number of a memory in the archive, as in its address /stories/42."),
    )
    submit = SubmitField(_l("Save this feature"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("GeoJSON file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l(
            "A FeatureCollection in WGS84 longitude/latitude, each feature with a feeling."
        ),
    )
    submit = SubmitField(_l("Import"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Why is it sent back?"), validators=[Length(max=500)])
    submit = SubmitField(_l("Send back"))
