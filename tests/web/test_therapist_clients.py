"""Issue 13: a therapist's clients: added with a name or initials, listed, deleted with
everything of theirs; and another therapist's client is not found, on every route."""

from __future__ import annotations

import pytest

from .therapists import accounts, add_therapist, csrf, send, sign_in, therapist_app

ANN, BEA = "ann@example.com", "bea@example.com"


@pytest.fixture
def app(tmp_path):
    return therapist_app(tmp_path)


@pytest.fixture
def ann(app):
    """Ann, signed in: her test client, with one client of hers (J. S.) and its id."""
    add_therapist(app, ANN)
    client = app.test_client()
    sign_in(client, ANN)
    reply = send(client, "/therapist/clients", {"name": "J. S."}, form_page="/therapist/")
    return client, int(reply.headers["Location"].rsplit("/", 1)[1])


def test_a_client_added_is_listed_and_has_a_page(ann):
    client, client_id = ann
    assert "J. S." in client.get("/therapist/").get_data(as_text=True)
    page = client.get(f"/therapist/clients/{client_id}")
    assert page.status_code == 200 and "No plans yet." in page.get_data(as_text=True)


@pytest.mark.parametrize(("name", "says"), [
    ("", "Give a name or initials."),
    ("x" * 81, "80 characters"),
    ("J.\u202eS.", "control or invisible characters"),
    ("\u3164", "It has no character that shows."),
    ("J.\u2028S.", "control or invisible characters"),
])
def test_a_bad_name_is_refused_at_its_field(ann, name, says):
    client, _ = ann
    reply = send(client, "/therapist/clients", {"name": name}, form_page="/therapist/")
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert says in page and 'aria-invalid="true"' in page


@pytest.mark.parametrize("path", ["/therapist/clients/99999999999999999999",
                                  "/therapist/clients/99999999999999999999/delete"])
def test_an_id_too_large_for_the_database_is_not_found(ann, path):
    """Regression: SQLite's OverflowError answered 500 with a traceback."""
    client, _ = ann
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("name", "shown"), [
    # Regression: the form measured the spaces around a name, and refused 80 characters.
    (" " + "x" * 80 + " ", "x" * 80),
    # Regression: the joiner inside an emoji sequence was refused as invisible.
    ("👩\u200d⚕\ufe0f Ana", "👩\u200d⚕\ufe0f Ana"),
])
def test_a_name_is_kept_as_written_once_stripped(ann, name, shown):
    client, _ = ann
    reply = send(client, "/therapist/clients", {"name": name}, form_page="/therapist/")
    assert reply.status_code == 302
    assert f"<h1>{shown}</h1>" in client.get(reply.headers["Location"]).get_data(as_text=True)


def test_a_name_is_escaped_on_every_page(ann):
    client, _ = ann
    reply = send(client, "/therapist/clients", {"name": "<b>A&B</b>"}, form_page="/therapist/")
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in page and "<b>A&B" not in page


def test_deleting_asks_first_then_takes_the_client_and_their_plans(app, ann):
    client, client_id = ann
    store = accounts(app).store
    therapist = store.therapist_by_email(ANN)
    store.add_plan(therapist, client_id, "Right shoulder", "title: x\n")
    confirm = client.get(f"/therapist/clients/{client_id}/delete")
    assert "cannot be undone" in confirm.get_data(as_text=True)
    assert store.clients(therapist), "asking deletes nothing"
    reply = client.post(f"/therapist/clients/{client_id}/delete",
                        data={"csrf_token": csrf(confirm.get_data(as_text=True))})
    assert reply.status_code == 302
    assert store.clients(therapist) == []
    assert client.get(f"/therapist/clients/{client_id}").status_code == 404


def test_another_therapists_client_is_not_found_on_every_route(app, ann):
    _, client_id = ann
    add_therapist(app, BEA)
    bea = app.test_client()
    sign_in(bea, BEA)
    token = csrf(bea.get("/therapist/").get_data(as_text=True))
    assert bea.get(f"/therapist/clients/{client_id}").status_code == 404
    assert bea.get(f"/therapist/clients/{client_id}/delete").status_code == 404
    assert bea.post(f"/therapist/clients/{client_id}/delete",
                    data={"csrf_token": token}).status_code == 404
    assert "J. S." not in bea.get("/therapist/").get_data(as_text=True)
    therapist = accounts(app).store.therapist_by_email(ANN)
    assert [c.name for c in accounts(app).store.clients(therapist)] == ["J. S."]


def test_an_id_that_was_never_there_is_not_found_either(ann):
    client, _ = ann
    assert client.get("/therapist/clients/999999").status_code == 404


def test_the_public_pages_know_nothing_of_clients(app, ann):
    public = app.test_client()
    for path in ("/", "/feed.xml"):
        assert "J. S." not in public.get(path).get_data(as_text=True)


def test_the_public_pages_do_not_vary_by_cookie(app, ann):
    """A CDN keeps one copy of a public page for everybody: the sign-in cookie must not
    split it (Flask adds "Vary: Cookie" to any response that read the session)."""
    client, _ = ann   # signed in, with a cookie
    for path in ("/", "/feed.xml", "/offline"):
        assert "Cookie" not in client.get(path).headers.get("Vary", ""), path
