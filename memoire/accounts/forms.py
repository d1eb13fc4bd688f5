"""Forms of the account pages: sign up, log in, forgotten password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from memoire.accounts.operations import MIN_PASSWORD


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Length(max=320, message=_l("This e-mail address is too long.")),
        ],
    )


class SignupForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[Length(max=200, message=_l("This name is too long."))],
        description=_l("Shown to moderators. A first name is enough."),
    )
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Choose a password."))],
        description=_l(
            "At least %(n)s characters. A short sentence is easy to remember.", n=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    submit = SubmitField(_l("Create my account"))


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password."))]
    )
    remember = BooleanField(
        _l("Keep me logged in on this device"),
        description=_l("Not on a shared computer: there, you are logged out when the browser closes."),
    )
    submit = SubmitField(_l("Log in"))


class ResetRequestForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Choose a password."))],
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    submit = SubmitField(_l("Save the new password"))



class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password."))],
    )
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(message=_l("Choose a password."))],
        description=_l("At least %(n)s characters. You will be logged out everywhere else.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    submit = SubmitField(_l("Save the new password"))

def add_error(form: FlaskForm, field_name: str | None, message) -> None:
    """Attach an error from an operation to the field it names, else to the form."""
    field = getattr(form, field_name, None) if field_name else None
    if field is not None and hasattr(field, "errors"):
        # WTForms gives a tuple before validation ran; errors become a list once appended to.
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
