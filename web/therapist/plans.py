"""A client's plans: writing one in the editor (the page sends JSON: the routine, in the
shape of a routine file, and the schedule), checking it live, its page, editing it into a
new version, and YAML import and export. Every route names the signed-in therapist to the
store: another therapist's plan or client is not found."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from builder.parse import Context
from plans import InvalidInput, PlanView

from . import CONTEXT, accounts_of
from .codes import code_of
from .editor import EditorError, check, editable, offered, report, routine_yaml, schedule
from .forms import ConfirmForm
from .json_errors import json_errors, refuse
from .share import share_of
from .signed import for_therapists, owned, plans_store
from .tracks import track_state

bp = json_errors(for_therapists(Blueprint("plans", __name__, url_prefix="/therapist")))
BLANK = {"title": "", "level": "gentle", "steps": []}




def _context() -> Context:
    context: Callable[[], Context] = current_app.extensions[CONTEXT]
    return context()



@bp.get("/clients/<int:client_id>/plans/new")
def new_plan(client_id: int):
    client = owned(plans_store().client, client_id)
    return _editor(client, None, BLANK, {})


@bp.post("/clients/<int:client_id>/plans")
def add_plan(client_id: int):
    client = owned(plans_store().client, client_id)
    return _save(lambda title, text, when: plans_store().add_plan(
        current_user.id, client.id, title, text, times_per_week=when.times_per_week,
        until=when.until, note=when.note))


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    found = owned(plans_store().plan, plan_id)
    client = plans_store().client(current_user.id, found.client_id)
    draft = check(found.routine_yaml, _context(), found.title)
    return render_template("therapist/plan.html", plan=found, client=client,
                           preview=report(draft), track=track_state(found),
                           share=share_of(found), code=code_of(found), code_form=ConfirmForm())


@bp.get("/plans/<int:plan_id>/edit")
def edit_plan(plan_id: int):
    found = owned(plans_store().plan, plan_id)
    client = plans_store().client(current_user.id, found.client_id)
    routine, _ = editable(found.routine_yaml, found.title)
    return _editor(client, found, routine or BLANK, {
        "times_per_week": found.times_per_week or "",
        "until": found.until.isoformat() if found.until else "", "note": found.note})


@bp.post("/plans/<int:plan_id>")
def revise_plan(plan_id: int):
    found = owned(plans_store().plan, plan_id)
    return _save(lambda title, text, when: plans_store().revise_plan(
        current_user.id, found.id, text, title=title, times_per_week=when.times_per_week,
        until=when.until, note=when.note))


@bp.get("/plans/<int:plan_id>/routine.yaml")
def export_plan(plan_id: int):
    found = owned(plans_store().plan, plan_id)
    return Response(found.routine_yaml, mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="plan-{found.id}.yaml"'})


@bp.post("/plans/check")
def check_plan():
    """The editor's routine checked: problems by field, warnings, and the preview."""
    try:
        text = routine_yaml(_sent().get("routine"))
    except EditorError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(report(check(text, _context(), "the plan")))


@bp.post("/plans/import")
def import_plan():
    """A routine file's text, as the editor's routine (or why it cannot be one)."""
    text = _sent().get("yaml")
    if not isinstance(text, str):
        return jsonify(error="Choose a routine file (.yaml) to import."), 422
    routine, problems = editable(text, "the file")
    if routine is None:
        return jsonify(error=" ".join(f"line {p.line}: {p.message}" if p.line else p.message
                                      for p in problems)), 422
    return jsonify(routine=routine)


def _editor(client, found: PlanView | None, routine: dict, when: dict):
    save = (url_for("plans.revise_plan", plan_id=found.id) if found
            else url_for("plans.add_plan", client_id=client.id))
    return render_template("therapist/editor.html", client=client, plan=found,
                           state={"routine": routine, "schedule": when},
                           offered=offered(_context()), save=save)


def _save(write: Callable):
    """Check what the editor sent and `write(title, yaml, schedule)` it; 422 with the
    problems keyed to fields, or 201 with the plan's page."""
    sent = _sent()
    try:
        text = routine_yaml(sent.get("routine"))
        when = schedule(sent.get("schedule") or {}, accounts_of().clock().date())
    except EditorError as exc:
        return jsonify(ok=False, problems=[{"field": exc.field, "message": str(exc)}]), 422
    draft = check(text, _context(), "the plan")
    if draft.routine is None:
        return jsonify(report(draft)), 422
    try:
        saved = write(draft.routine.title, text, when)
    except InvalidInput as exc:
        return jsonify(ok=False, problems=[{"field": exc.field, "message":
                                            exc.reason.capitalize() + "."}]), 422
    return jsonify(ok=True, url=url_for("plans.plan", plan_id=saved.id)), 201


def _sent() -> dict:
    """The fields the editor sent, as JSON; 400 for anything else. The json module reads
    nesting by recursion, so a few thousand levels (in far less than the 128 KB a request
    may be) raise RecursionError, which get_json's `silent` does not catch."""
    try:
        sent = request.get_json(silent=True)
    except RecursionError:
        refuse(400, "The request is nested too deep to read.")
    if not isinstance(sent, dict):
        refuse(400, "Send the editor's fields as JSON.")
    return sent
