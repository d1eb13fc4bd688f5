"""Forms for recording the network: workshops, organisations, facilitators, method cards."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from memoire.contributions.forms import MultiCheckboxField as _Checkboxes
from memoire.contributions.forms import choices, language_choices
from memoire.network import labels


class MultiCheckboxField(_Checkboxes):
    """Checkboxes whose values may be ids (coerced to int): unknown ones are dropped."""

    def pre_validate(self, form) -> None:
        known = {str(c.value) for c in self.choices or []}
        self.data = [v for v in (self.data or []) if str(v) in known]


_TOO_LONG = _l("Too long: %(max)d characters at most.")


def _length(limit: int) -> Length:
    return Length(max=limit, message=_TOO_LONG)


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class WorkshopForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(message=_l("A workshop needs a title.")), _length(300)],
        description=_l("For example: Feelings map with the teenagers of Dutemple."),
    )
    starts_on = DateField(
        _l("Date (first day)"), validators=[InputRequired(message=_l("Give the date of the workshop."))],
    )
    ends_on = DateField(_l("Last day (if it lasted several days)"), validators=[Optional()])
    place_id = SelectField(_l("Place"), coerce=_int_or_none, validators=[Optional()])
    audience = SelectField(_l("Audience"), validators=[Optional()])
    participants = IntegerField(
        _l("How many took part"),
        validators=[Optional(), NumberRange(min=0, max=100_000, message=_l("A number between 0 and 100000."))],
        description=_l("A number only: never write the participants' names here."),
    )
    description = TextAreaField(_l("What happened"), validators=[_length(20_000)],
                                description=_l("Markdown: *emphasis*, lists, links."))
    languages = MultiCheckboxField(_l("Languages spoken"))
    organisations = MultiCheckboxField(_l("Organised by"), coerce=int)
    methods = MultiCheckboxField(_l("Methods used"), coerce=int)
    facilitators = MultiCheckboxField(
        _l("Facilitators"), coerce=int,
        description=_l("Only those who agreed to be listed are named in public."),
    )
    maps = MultiCheckboxField(_l("Maps drawn at this workshop"), coerce=int)
    submit = SubmitField(_l("Save the workshop"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("An organisation needs a name.")),
                                                _length(300)])
    slug = StringField(_l("Short name in the address (optional)"), validators=[_length(120)])
    kind = SelectField(_l("Kind"))
    country = SelectField(_l("Country"))
    address = StringField(_l("Address"), validators=[_length(500)])
    place_id = SelectField(_l("Place in the gazetteer"), coerce=_int_or_none, validators=[Optional()])
    neighbourhoods = MultiCheckboxField(_l("Neighbourhoods it serves"), coerce=int)
    website = StringField(_l("Website"), validators=[_length(500)])
    contact_email = StringField(
        _l("Public contact e-mail"), validators=[_length(320)],
        description=_l("Only what the organisation chose to publish."),
    )
    contact_phone = StringField(_l("Public contact telephone"), validators=[_length(50)])
    description = TextAreaField(_l("Short description"), validators=[_length(20_000)],
                                description=_l("Markdown: *emphasis*, lists, links."))
    languages = MultiCheckboxField(_l("Languages spoken"))
    submit = SubmitField(_l("Save the organisation"))


class FacilitatorForm(FlaskForm):
    display_name = StringField(
        _l("Name or pseudonym"),
        validators=[InputRequired(message=_l("A facilitator needs a name or a pseudonym.")), _length(200)],
    )
    is_pseudonym = BooleanField(_l("This is a pseudonym"))
    kind = SelectField(_l("Role"))
    organisation_id = SelectField(_l("Organisation"), coerce=_int_or_none, validators=[Optional()])
    bio = TextAreaField(_l("A few words about them (public while listed)"), validators=[_length(2000)])
    contact = StringField(_l("Public contact (while listed)"), validators=[_length(320)])
    languages = MultiCheckboxField(_l("Languages spoken"))
    listed = BooleanField(
        _l("They agreed to be named on workshop pages and listed in the directory."),
        description=_l("They can withdraw this at any time: untick it and they are no longer named anywhere."),
    )
    submit = SubmitField(_l("Save the facilitator"))


class MethodForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("A method card needs a name.")),
                                                _length(300)])
    slug = StringField(_l("Short name in the address (optional)"), validators=[_length(120)])
    purpose = TextAreaField(_l("Purpose"), validators=[_length(5000)])
    question_kinds = MultiCheckboxField(_l("For which kinds of questions"))
    steps = TextAreaField(_l("Steps"), validators=[_length(20_000)],
                          description=_l("Markdown: a numbered list works well."))
    materials = TextAreaField(_l("Materials"), validators=[_length(5000)])
    duration = StringField(_l("Duration"), validators=[_length(200)])
    group_size = StringField(_l("Group size"), validators=[_length(200)])
    audiences = MultiCheckboxField(_l("Audiences"))
    tips = TextAreaField(_l("Pitfalls and tips"), validators=[_length(10_000)])
    languages = MultiCheckboxField(_l("Languages"))
    licence = SelectField(_l("Licence"))
    note = StringField(_l("What changed in this version"), validators=[_length(500)])
    submit = SubmitField(_l("Save a new version"))


class ConsentScanForm(FlaskForm):
    scan = FileField(_l("Scanned signed consent form (PDF, JPEG or PNG)"),
                     validators=[FileRequired(_l("Choose the scanned form to attach."))])
    label = StringField(_l("Whose form (kept private)"), validators=[Optional(), _length(200)])
    submit = SubmitField(_l("Attach the consent form"))


class RemoveConsentScanForm(FlaskForm):
    submit = SubmitField(_l("Remove"))


class WithdrawListingForm(FlaskForm):
    submit = SubmitField(_l("Stop naming me in public"))


def enum_choices(table: dict, blank=None):
    pairs = [("", blank)] if blank is not None else []
    return choices(pairs + [(key, str(value)) for key, value in table.items()])


LICENCE_CHOICES = ["CC-BY-SA-4.0", "CC-BY-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-4.0", "CC0-1.0"]


def set_choices(form, **lists) -> None:
    """Fill the choices of a form's select fields (places, records) at request time."""
    for name, pairs in lists.items():
        getattr(form, name).choices = choices(pairs)
    if hasattr(form, "languages"):
        form.languages.choices = language_choices()
    if hasattr(form, "audience"):
        form.audience.choices = enum_choices(labels.AUDIENCES, blank=_l("Not said"))
    if hasattr(form, "audiences"):
        form.audiences.choices = enum_choices(labels.AUDIENCES)
    if hasattr(form, "question_kinds"):
        form.question_kinds.choices = enum_choices(labels.QUESTION_KINDS)
    if hasattr(form, "kind") and isinstance(form, OrganisationForm):
        form.kind.choices = enum_choices(labels.ORGANISATION_KINDS)
    if hasattr(form, "kind") and isinstance(form, FacilitatorForm):
        form.kind.choices = enum_choices(labels.FACILITATOR_KINDS)
    if hasattr(form, "country"):
        form.country.choices = enum_choices(labels.COUNTRIES)
    if hasattr(form, "licence"):
        form.licence.choices = choices([(code, code) for code in LICENCE_CHOICES])
