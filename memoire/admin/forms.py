"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField

from memoire.accounts.models import Role
from memoire.contributions.forms import choices

ROLE_LABELS = {
    Role.contributor.value: _l("Contributor"),
    Role.mediator.value: _l("Mediator"),
    Role.moderator.value: _l("Moderator"),
    Role.researcher.value: _l("Researcher"),
    Role.curator.value: _l("Curator"),
    Role.admin.value: _l("Administrator"),
}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    submit = SubmitField(_l("Change the role"))


class ThemeNamesForm(FlaskForm):
    """A theme's name in each interface language; the archive's default language is required."""

    fr = StringField(_l("French"))
    nl = StringField(_l("Dutch"))
    en = StringField(_l("English"))
    submit = SubmitField(_l("Save the names"))
