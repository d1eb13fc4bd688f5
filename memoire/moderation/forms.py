"""Forms of the moderation pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from memoire.contributions.forms import LICENCE_CHOICES, PRECISION_CHOICES, choices
from memoire.stories.models import Visibility

KIND_CHOICES = choices(
    [
        ("oral_history", _l("Oral history")),
        ("photo", _l("Photo")),
        ("anecdote", _l("Anecdote")),
        ("heritage", _l("Heritage")),
    ]
)

MODERATION_VISIBILITY_CHOICES = choices(
    [
        (Visibility.public.value, _l("Public")),
        (Visibility.researchers.value, _l("Researchers only")),
        (Visibility.private.value, _l("Private: the contributor and the moderators")),
    ]
)


def _too_long(n: int):
    return Length(max=n, message=_l("Too long: %(n)s characters at most.", n=n))


class StoryEditForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("A story needs a title.")), _too_long(500)],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[_too_long(2000)],
        description=_l("Two or three sentences shown on cards and in search results."),
    )
    body = TextAreaField(_l("Text of the story"))
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    language = SelectField(_l("Language"))
    period = StringField(
        _l("Period"),
        validators=[_too_long(100)],
        description=_l(
            'A year (1978), a range (1955-1965), a decade ("années 60") or "vers 1950".'
        ),
    )
    place_name = StringField(_l("Place"), validators=[_too_long(300)])
    commune = StringField(_l("Town or village of the place"), validators=[_too_long(300)])
    lat = StringField(_l("Latitude"))
    lon = StringField(_l("Longitude"))
    themes = StringField(
        _l("Themes"), validators=[_too_long(500)], description=_l("Separated by commas.")
    )
    visibility = RadioField(
        _l("Visibility"),
        choices=MODERATION_VISIBILITY_CHOICES,
        validators=[InputRequired(message=_l("Choose a visibility."))],
    )
    precision = RadioField(
        _l("Location shown"),
        choices=PRECISION_CHOICES,
        validators=[InputRequired(message=_l("Choose how precisely the place is shown."))],
    )
    licence = SelectField(_l("Licence"), choices=LICENCE_CHOICES)
    submit = SubmitField(_l("Save the changes"))


class PublishForm(FlaskForm):
    submit = SubmitField(_l("Publish"))


class SendBackForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it sent back?"),
        validators=[InputRequired(message=_l("Say why the story is sent back.")), _too_long(2000)],
        description=_l("The contributor reads this. Say kindly what to change."),
    )
    submit = SubmitField(_l("Send back to the contributor"))
