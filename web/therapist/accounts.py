"""Signing in and out, setting a password from a one-time link, changing it, the account's
activity (its audit log), and signing up where the app allows it."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from plans import InvalidInput, Taken
from plans.accounts import PASSWORD_MIN, Account
from plans.audit import ACTIONS
from plans.errors import LinkUnusable, TooManyAttempts, WrongPassword

from . import SIGNED_AT, accounts_of
from .forms import ChangePasswordForm, ConfirmForm, SetPasswordForm, SignInForm, SignUpForm
from .signed import Therapist, local_path, private

bp = private(Blueprint("therapist", __name__, url_prefix="/therapist"))
INVALID = 422   # the form's values were refused: the page again, each problem at its field


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    after = local_path(request.args.get("next"), url_for("clients.home"))
    if current_user.is_authenticated:
        return redirect(after)
    if not form.validate_on_submit():
        return _form("sign_in.html", form, sign_up=current_app.config.get("SIGN_UP"))
    try:
        account = accounts_of().sign_in(form.email.data, form.password.data, _address())
    except TooManyAttempts as exc:
        form.password.errors.append(str(exc))
        return _form("sign_in.html", form, 429, {"Retry-After": str(exc.retry_after)})
    except WrongPassword as exc:
        form.password.errors.append(str(exc))
        return _form("sign_in.html", form, INVALID)
    _start(account)
    return redirect(after)


@bp.get("/token.json")
@login_required
def token():
    """A fresh CSRF token for this session: the editor asks for one when its page is
    older than the session (signed in again in another tab) rather than lose its work."""
    return jsonify(token=generate_csrf())


@bp.post("/sign-out")
@login_required
def sign_out():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts_of().signed_out(current_user.id)
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("therapist.sign_in"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    accounts = accounts_of()
    try:
        email = accounts.link_email(token)
    except LinkUnusable as exc:
        return render_template("therapist/problem.html", title="This link cannot be used",
                               message=str(exc)), 404
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return _form("set_password.html", form, email=email)
    try:
        accounts.set_password(token, form.password.data)
    except InvalidInput as exc:
        form.password.errors.append(exc.reason.capitalize() + ".")
        return _form("set_password.html", form, INVALID, email=email)
    logout_user()
    session.clear()
    flash("Your password is set. Sign in with it.")
    return redirect(url_for("therapist.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _form("password.html", form)
    try:
        account = accounts_of().change_password(current_user.id, form.current.data,
                                                form.password.data)
    except TooManyAttempts as exc:
        form.current.errors.append(str(exc))
        return _form("password.html", form, 429, {"Retry-After": str(exc.retry_after)})
    except WrongPassword as exc:
        form.current.errors.append(str(exc))
        return _form("password.html", form, INVALID)
    except InvalidInput as exc:
        form.password.errors.append(exc.reason.capitalize() + ".")
        return _form("password.html", form, INVALID)
    _start(account)   # this session carries on; every other one has ended
    flash("Your password is changed. Anywhere else you were signed in, you are signed out.")
    return redirect(url_for("clients.home"))


@bp.get("/activity")
@login_required
def activity():
    return render_template("therapist/activity.html", events=accounts_of().events(
        current_user.id), actions=ACTIONS)


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    if not current_app.config.get("SIGN_UP"):
        abort(404)
    form = SignUpForm()
    if not form.validate_on_submit():
        return _form("sign_up.html", form)
    try:
        account = accounts_of().sign_up(form.email.data, form.password.data, _address())
    except TooManyAttempts as exc:
        form.email.errors.append(str(exc))
        return _form("sign_up.html", form, 429, {"Retry-After": str(exc.retry_after)})
    except InvalidInput as exc:
        form[exc.field].errors.append(exc.reason.capitalize() + ".")
        return _form("sign_up.html", form, INVALID)
    except Taken:
        form.email.errors.append("That address has an account already: sign in instead.")
        return _form("sign_up.html", form, INVALID)
    _start(account)
    return redirect(url_for("clients.home"))


def _start(account: Account) -> None:
    # A fresh session (nothing carried over from before signing in: no session fixation),
    # kept for SESSION_HOURS.
    session.clear()
    session.permanent = True
    session[SIGNED_AT] = accounts_of().clock().timestamp()
    login_user(Therapist(account))


def _form(template: str, form, status: int = 200, headers: dict | None = None, **values):
    """The form's page; a form sent with problems answers INVALID, whatever `status`
    says, unless it is a refusal of its own (429)."""
    if status == 200 and form.is_submitted() and form.errors:
        status = INVALID
    return (render_template(f"therapist/{template}", form=form, password_min=PASSWORD_MIN,
                            **values), status, headers or {})


def _address() -> str:
    """The address the request came from, for the limits on failed sign-ins (behind a
    reverse proxy, that is the proxy's: the limit per email still holds)."""
    return request.remote_addr or "unknown"
