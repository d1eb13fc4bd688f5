"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

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
