"""Forms of the contribution wizard, one per step, and of the workshop upload."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from memoire.stories.models import Precision, Visibility


def choices(pairs) -> list[SelectChoice]:
    """Choices as WTForms wants them (plain tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (macros/forms.html renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # Ticking nothing is a valid answer; unknown values are dropped, not refused.
        self.data = [
            v for v in (self.data or []) if v in {str(c.value) for c in self.choices or []}
        ]


def language_choices() -> list[SelectChoice]:
    return choices(
        [
            ("fr", _("French")),
            ("nl", _("Dutch")),
            ("en", _("English")),
            ("wa", _("Walloon")),
            ("pcd", _("Picard")),
            ("de", _("German")),
            ("it", _("Italian")),
            ("pl", _("Polish")),
            ("ar", _("Arabic")),
            ("tr", _("Turkish")),
        ]
    )


LICENCE_CHOICES = choices(
    [
        (
            "CC-BY-NC-4.0",
            _l(
                "CC BY-NC 4.0: others may share and reuse it, not for money, naming where it comes from"
            ),
        ),
        ("CC-BY-4.0", _l("CC BY 4.0: others may share and reuse it, naming where it comes from")),
        ("CC-BY-SA-4.0", _l("CC BY-SA 4.0: as CC BY, and reuses keep the same licence")),
        ("CC-BY-NC-SA-4.0", _l("CC BY-NC-SA 4.0: as CC BY-NC, and reuses keep the same licence")),
        ("CC-BY-NC-ND-4.0", _l("CC BY-NC-ND 4.0: shared as it is, not changed, not for money")),
        ("CC0-1.0", _l("CC0: given to everyone, no conditions")),
        ("all-rights-reserved", _l("All rights reserved: only this archive may show it")),
    ]
)

PRECISION_CHOICES = choices(
    [
        (Precision.exact.value, _l("The exact place")),
        (Precision.street.value, _l("Only the street (about 100 m)")),
        (Precision.quartier.value, _l("Only the neighbourhood")),
    ]
)

VISIBILITY_CHOICES = choices(
    [
        (Visibility.public.value, _l("Everyone, once a moderator has read it")),
        (Visibility.researchers.value, _l("Only researchers of the network")),
        (Visibility.private.value, _l("Only me and the moderators")),
    ]
)

CONSENT_METHOD_CHOICES = choices(
    [
        ("signed_form", _l("A paper form, signed")),
        ("oral_recorded", _l("Said aloud, and recorded")),
    ]
)


class WhatForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Give your memory a title.")),
            Length(max=500, message=_l("The title is too long (500 characters at most).")),
        ],
        description=_l("A few words, for example: The Saint-Éloi fair in 1962."),
    )
    body = TextAreaField(
        _l("Your memory, in your own words"),
        description=_l("Write it as you would tell it. You can also record it at the next step."),
    )
    language = SelectField(_l("Language of the memory"), default="fr")
    themes = MultiCheckboxField(_l("Themes"))
    new_themes = StringField(
        _l("Other themes"),
        description=_l("Optional. Separate them with commas."),
        validators=[Length(max=300, message=_l("Too long: 300 characters at most."))],
    )
    submit = SubmitField(_l("Save and continue"))


class PhotoForm(FlaskForm):
    photo = FileField(
        _l("Photo"),
        description=_l("From your phone's camera or gallery. JPEG, PNG, HEIC…"),
        render_kw={"accept": "image/*"},
    )
    caption = StringField(
        _l("Caption"),
        description=_l("Who or what, where, when. Optional."),
        validators=[Length(max=1000, message=_l("Too long: 1000 characters at most."))],
    )
    alt_text = StringField(
        _l("What the photo shows, in a few words"),
        description=_l(
            "For people who cannot see the photo. For example: “My grandmother at the Dutemple "
            "fair, around 1965”. If you leave this empty, the caption is used."
        ),
        validators=[Length(max=1000, message=_l("Too long: 1000 characters at most."))],
    )
    submit = SubmitField(_l("Add the photo"))


class RecordingForm(FlaskForm):
    recording = FileField(
        _l("Recording"),
        description=_l("Record with your phone, or choose a sound file (MP3, M4A, WAV, OGG…)."),
        render_kw={"accept": "audio/*", "capture": ""},
    )
    caption = StringField(
        _l("What is heard"),
        description=_l("For example: Marie tells about the fair. Optional."),
        validators=[Length(max=1000, message=_l("Too long: 1000 characters at most."))],
    )
    submit = SubmitField(_l("Add the recording"))


class WhereForm(FlaskForm):
    place_name = StringField(
        _l("Place"),
        description=_l(
            "A street, a neighbourhood, a building, a town… Known places are suggested as you type."
        ),
        validators=[Length(max=300, message=_l("Too long: 300 characters at most."))],
    )
    place_id = HiddenField()
    commune = StringField(
        _l("Town or village"),
        description=_l("Optional: helps to find the right place."),
        validators=[Length(max=300, message=_l("Too long: 300 characters at most."))],
    )
    lat = StringField(
        _l("Latitude"), description=_l("Filled in when you tap the map. For example 50.357.")
    )
    lon = StringField(_l("Longitude"), description=_l("For example 3.523."))
    submit = SubmitField(_l("Save and continue"))


class WhenForm(FlaskForm):
    period = StringField(
        _l("When did it happen?"),
        description=_l(
            'A year (1978), a range (1955-1965), a decade ("années 60") or "vers 1950". Optional.'
        ),
        validators=[Length(max=100, message=_l("Too long: 100 characters at most."))],
    )
    submit = SubmitField(_l("Save and continue"))


class WhoForm(FlaskForm):
    narrator = RadioField(
        _l("Who tells this memory?"),
        choices=choices([("me", _l("I do")), ("other", _l("Someone else"))]),
        default="me",
        validators=[InputRequired(message=_l("Say who tells this memory."))],
    )
    narrator_name = StringField(
        _l("Name shown with the memory"),
        description=_l(
            "A full name, a first name, or a pseudonym. Leave empty to use your account's name."
        ),
        validators=[Length(max=200, message=_l("Too long: 200 characters at most."))],
    )
    pseudonym = BooleanField(_l("This name is a pseudonym"))
    birth_decade = SelectField(_l("Decade of birth of the narrator (optional)"), default="")
    neighbourhood = StringField(
        _l("Neighbourhood where the narrator lives (optional)"),
        validators=[Length(max=200, message=_l("Too long: 200 characters at most."))],
    )
    submit = SubmitField(_l("Save and continue"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.birth_decade.choices = choices(
            [("", _("I prefer not to say"))]
            + [(str(d), _("the %(decade)ss", decade=d)) for d in range(1910, 2020, 10)]
        )


class ConsentForm(FlaskForm):
    online_publication = BooleanField(
        _l("Yes, it may be shown on this website, once a moderator has read it.")
    )
    research_use = BooleanField(
        _l("Yes, researchers may study it (for example for a university study).")
    )
    exhibition_use = BooleanField(
        _l("Yes, it may be shown in exhibitions about the neighbourhood.")
    )
    visibility = RadioField(
        _l("Who may see it?"),
        choices=VISIBILITY_CHOICES,
        default=Visibility.public.value,
        validators=[InputRequired(message=_l("Say who may see the memory."))],
    )
    precision = RadioField(
        _l("How precisely may the place be shown?"),
        choices=PRECISION_CHOICES,
        # Data protection by default: the street; the resident chooses "exact" themselves.
        default=Precision.street.value,
        validators=[InputRequired(message=_l("Say how precisely the place may be shown."))],
    )
    licence = SelectField(
        _l("Licence"),
        choices=LICENCE_CHOICES,
        default="CC-BY-NC-4.0",
        description=_l(
            "The conditions under which others may reuse the memory. If you are unsure, keep the first one."
        ),
    )
    narrator_is_minor = BooleanField(_l("The narrator is under 18"))
    guardian_name = StringField(
        _l("Name of the parent or guardian who agrees"),
        description=_l("Needed when the narrator is under 18."),
        validators=[Length(max=200, message=_l("Too long: 200 characters at most."))],
    )
    method = RadioField(
        _l("How did the narrator give consent?"),
        choices=CONSENT_METHOD_CHOICES,
        validators=[Optional()],
    )
    given_by = StringField(
        _l("Name of the person who gave consent"),
        validators=[Length(max=200, message=_l("Too long: 200 characters at most."))],
    )
    save = SubmitField(_l("Save the draft"))
    send = SubmitField(_l("Send to the moderators"))


class MediaTextForm(FlaskForm):
    caption = StringField(
        _l("Caption"),
        validators=[Length(max=1000, message=_l("Too long: 1000 characters at most."))],
    )
    alt_text = StringField(
        _l("What the photo shows, in a few words"),
        validators=[Length(max=1000, message=_l("Too long: 1000 characters at most."))],
    )
    submit = SubmitField(_l("Save"))


class WorkshopForm(FlaskForm):
    workshop = SelectField(
        _l("Workshop"),
        coerce=lambda value: int(value) if str(value).isdigit() else None,
        validators=[Optional()],
        description=_l("The workshop recorded in the network: each memory is linked to it."),
    )
    title = StringField(
        _l("Name of the workshop"),
        validators=[
            Length(max=300, message=_l("Too long: 300 characters at most.")),
        ],
        description=_l(
            "Only without a recorded workshop. For example: Dutemple social centre, 12 March."
        ),
    )
    files = MultipleFileField(
        _l("Recordings and photos"),
        description=_l("Choose several files at once: each becomes a draft memory."),
        render_kw={"accept": "audio/*,image/*", "multiple": True},
    )
    narrator = StringField(
        _l("Narrator (optional)"),
        description=_l(
            "When one person tells all these memories. Otherwise, add each narrator afterwards."
        ),
        validators=[Length(max=200, message=_l("Too long: 200 characters at most."))],
    )
    place_name = StringField(
        _l("Place (optional)"),
        validators=[Length(max=300, message=_l("Too long: 300 characters at most."))],
    )
    period = StringField(
        _l("When (optional)"),
        validators=[Length(max=100, message=_l("Too long: 100 characters at most."))],
    )
    language = SelectField(_l("Language"), default="fr")
    method = RadioField(
        _l("How did the narrators give consent?"),
        choices=CONSENT_METHOD_CHOICES,
        validators=[InputRequired(message=_l("Say how consent was given."))],
    )
    given_by = StringField(
        _l("Name of the person who gave consent"),
        validators=[
            InputRequired(message=_l("Give the name of the person who gave consent.")),
            Length(max=200, message=_l("Too long: 200 characters at most.")),
        ],
    )
    online_publication = BooleanField(_l("They agree to publication on this website."))
    research_use = BooleanField(_l("They agree to research use."))
    exhibition_use = BooleanField(_l("They agree to use in exhibitions."))
    submit = SubmitField(_l("Upload the files"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Yes, withdraw this memory"))


class SubmitDraftForm(FlaskForm):
    submit = SubmitField(_l("Send to the moderators"))
