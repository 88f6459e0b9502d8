"""Issue 13: the therapists' pages in a real Chromium: signing in with a mistake and then
without, adding a client, and axe-core finding no accessibility problem on any of them,
on a phone and on a desktop."""

from __future__ import annotations

import pytest

from ..served import serving
from .conftest import opened
from .test_accessibility import VIEWPORTS, assert_no_violations
from .therapists import PASSWORD, add_therapist, therapist_app

ANN = "ann@example.com"


@pytest.fixture(scope="module")
def therapists(tmp_path_factory):
    """A served app with Ann's account (password PASSWORD) and the set-password link of a
    second account, Bea's, not used yet."""
    app = therapist_app(tmp_path_factory.mktemp("therapists"))
    add_therapist(app, ANN)
    from web.therapist import accounts_of
    accounts_of(app).store.add_therapist("bea@example.com")
    link = accounts_of(app).issue_link("bea@example.com", "welcome")
    with serving(app) as address:
        yield address, f"/therapist/set-password/{link}"


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser, therapists):
    with opened(browser, therapists[0], VIEWPORTS[request.param]) as page:
        yield page


def signing_in(page, password: str) -> None:
    page.goto("/therapist/sign-in")
    page.fill("#email", ANN)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_a_mistake_is_said_at_its_field_and_signing_in_then_works(screen):
    signing_in(screen, "not my password, I think")
    problem = screen.locator("#password-problem")
    assert problem.inner_text() == "That email and password do not match an account."
    assert screen.evaluate("document.activeElement.id") == "password"
    assert screen.get_attribute("#password", "aria-describedby") == "password-problem"
    assert_no_violations(screen, "the sign-in page with a problem")
    screen.fill("#password", PASSWORD)
    screen.click("button[type=submit]")
    screen.wait_for_url("**/therapist/")
    screen.fill("#name", "J. S.")
    screen.click("text=Add client")
    screen.wait_for_selector("h1:text('J. S.')")


PAGES = ["/therapist/", "/therapist/activity", "/therapist/password"]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_wrong_on_the_signed_in_pages(screen, path):
    signing_in(screen, PASSWORD)
    screen.wait_for_url("**/therapist/")
    screen.goto(path)
    assert_no_violations(screen, path)


def test_axe_finds_nothing_wrong_on_a_client_page_and_its_delete_page(screen):
    signing_in(screen, PASSWORD)
    screen.wait_for_url("**/therapist/")
    screen.fill("#name", "K. L.")
    screen.click("text=Add client")
    screen.wait_for_selector("h1:text('K. L.')")
    assert_no_violations(screen, "a client's page")
    screen.click("text=Delete K. L.")
    screen.wait_for_selector("text=cannot be undone")
    assert_no_violations(screen, "a client's delete page")


def test_axe_finds_nothing_wrong_on_the_pages_before_signing_in(screen, therapists):
    for path in ("/therapist/sign-in", therapists[1]):
        screen.goto(path)
        assert_no_violations(screen, path)
    screen.fill("#password", "short")
    screen.click("button[type=submit]")
    screen.wait_for_selector("#password-problem")
    assert_no_violations(screen, "the set-password page with a problem")
