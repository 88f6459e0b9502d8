"""The therapist pages' forms (Flask-WTF: each carries its CSRF token). Rules about the
values themselves live in plans/ and come back as InvalidInput naming the field; the forms
only say what is missing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from plans.accounts import PASSWORD_MAX
from plans.models import EMAIL_MAX, NAME_MAX

_EMAIL = [InputRequired("Give your email address."), Length(max=EMAIL_MAX)]


def _stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = EmailField("Email", _EMAIL, render_kw={"autocomplete": "username"})
    password = PasswordField("Password", [InputRequired("Give your password.")],
                             render_kw={"autocomplete": "current-password"})


class SignUpForm(FlaskForm):
    email = EmailField("Email", _EMAIL, render_kw={"autocomplete": "username"})
    password = PasswordField("Password", [InputRequired("Choose a password."),
                                          Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "new-password"})


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", [InputRequired("Choose a password."),
                                              Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", [InputRequired("Give your current password.")],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField("New password", [InputRequired("Choose a password."),
                                              Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "new-password"})


class ClientForm(FlaskForm):
    # Stripped before Length measures it, as the store does: " J. S. " is four characters.
    name = StringField("Name or initials", [InputRequired("Give a name or initials."),
                                            Length(max=NAME_MAX)],
                       filters=[_stripped], render_kw={"autocomplete": "off"})


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: a button that changes something."""
