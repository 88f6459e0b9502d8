"""A therapist's clients: the list, adding one, a client's page, and deleting a client with
everything of theirs. Every route names the signed-in therapist to the store, so another
therapist's client is "not found", exactly like one that never existed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from plans import InvalidInput

from .forms import ClientForm, ConfirmForm
from .signed import for_therapists, owned, plans_store
from .tracks import forget

bp = for_therapists(Blueprint("clients", __name__, url_prefix="/therapist"))




@bp.get("/")
def home():
    return render_template("therapist/clients.html", form=ClientForm(),
                           clients=plans_store().clients(current_user.id))


@bp.post("/clients")
def add_client():
    form = ClientForm()
    problem = None
    if form.validate_on_submit():
        try:
            client_id = plans_store().add_client(current_user.id, form.name.data)
        except InvalidInput as exc:
            problem = exc.reason.capitalize() + "."
        else:
            return redirect(url_for("clients.client", client_id=client_id))
    if problem:
        form.name.errors.append(problem)
    return render_template("therapist/clients.html", form=form,
                           clients=plans_store().clients(current_user.id)), 422


@bp.get("/clients/<int:client_id>")
def client(client_id: int):
    store = plans_store()
    found = owned(store.client, client_id)
    plans = [store.plan(current_user.id, plan_id) for plan_id in found.plans]
    return render_template("therapist/client.html", client=found, plans=plans,
                           form=ConfirmForm())


@bp.route("/clients/<int:client_id>/delete", methods=["GET", "POST"])
def delete_client(client_id: int):
    store = plans_store()
    found = owned(store.client, client_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("therapist/delete_client.html", client=found, form=form)
    tokens = [store.plan(current_user.id, plan_id).token for plan_id in found.plans]
    store.delete_client(current_user.id, client_id)
    forget(tokens)
    flash(f"{found.name} and their plans are deleted.")
    return redirect(url_for("clients.home"))

