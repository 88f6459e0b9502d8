"""Issue 13: the plan editor in a real Chromium. A therapist finds two moves in the
catalog, adds a step of their own, sees its missing words marked at the field and the mark
go once they are written, sees when each step starts, and saves; makes the plan's share
code and reads it off the page, and a new client says it to the skill and hears the plan;
then imports a routine file. axe-core finds no accessibility problem on the way, on a
phone and on a desktop."""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest
import yaml
from num2words import num2words

from skill.device import Device

from ..served import serving, speech
from .conftest import opened
from .test_accessibility import VIEWPORTS, assert_no_violations
from .therapists import PASSWORD, accounts, add_therapist, plan_builds, therapist_app

ANN = "ann@example.com"


@pytest.fixture(scope="module")
def editing(tmp_path_factory, piper, encoder, cache_dir):
    """A served app where Ann has a client: the address, the client's page, and the
    builder's plan builds (run by the test, as the builder process would)."""
    app = therapist_app(tmp_path_factory.mktemp("editor"))
    therapist = add_therapist(app, ANN)
    client_id = accounts(app).store.add_client(therapist, "J. S.")
    with serving(app) as address:
        yield address, f"/therapist/clients/{client_id}", plan_builds(app, piper, encoder,
                                                                      cache_dir)


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser, editing):
    with opened(browser, editing[0], VIEWPORTS[request.param]) as page:
        page.goto("/therapist/sign-in")
        page.fill("#email", ANN)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/therapist/")
        page.goto(editing[1])
        page.click("text=Write a plan")
        page.wait_for_selector("#catalog li")
        yield page


def add_move(page, area: str, title: str) -> None:
    page.select_option("#find-area", area)
    page.click(f"button[aria-label='Add {title}']")


def speaker_at(address: str) -> Device:
    """A new Alexa user's speaker, talking to the served app's /alexa (its requests are
    not signed: the app is made with verification off, as for local use)."""
    def send(envelope: dict) -> dict:
        request = urllib.request.Request(f"{address}/alexa", data=json.dumps(envelope).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)
    return Device(skill_id="", send=send, user_id=f"amzn1.ask.account.{uuid.uuid4().hex}",
                  length_of=lambda token: 60_000 if token else 0)


def read_code(page) -> str:
    """The plan's share code as its page shows it, large and grouped ("481 516"): the six
    digits a client says to their speaker ("481516")."""
    return page.inner_text("#share-code").replace(" ", "")


def test_a_plan_is_written_checked_as_it_is_typed_saved_and_built(screen, editing):
    screen.fill("#routine-title", "Right shoulder")
    add_move(screen, "calves", "Calf stretch at the wall")
    add_move(screen, "shoulders", "Shoulder knot at the wall")
    screen.click("#add-free")
    screen.fill("#step-2-title", "Shoulder squeeze")
    screen.select_option("#step-2-body_area", "shoulders")
    screen.select_option("#step-2-position", "sitting")
    problem = screen.locator("#step-2-say-problem")
    problem.wait_for(state="visible")
    assert "write the instruction" in problem.inner_text()
    assert screen.get_attribute("#step-2-say", "aria-invalid") == "true"
    assert_no_violations(screen, "the editor with a problem marked")

    screen.fill("#step-2-say", "Sit tall and draw your shoulder blades gently together.")
    problem.wait_for(state="hidden")
    assert screen.get_attribute("#step-2-say", "aria-invalid") is None
    screen.wait_for_selector("#preview li >> text=Shoulder squeeze")
    assert screen.inner_text("#length").startswith("About ")
    screen.fill("#times-per-week", "3")
    screen.click("text=Save plan")
    screen.wait_for_url("**/therapist/plans/*")
    assert "3 times a week" in screen.inner_text("main")
    assert [line.split(maxsplit=1)[1] for line in
            screen.locator(".preview li").all_inner_texts()][-2:] == ["Shoulder squeeze", "Finish"]
    assert screen.inner_text("#track-status") == "Waiting for the builder to start on it."
    assert_no_violations(screen, "a plan's page, waiting for its build")

    while editing[2].step():   # the builder's work (both viewports' plans, in turn)
        pass
    screen.wait_for_selector("#track-status >> text=Ready")
    screen.click("#track-audio")   # a click: the gesture Chromium wants before play()
    screen.evaluate("document.getElementById('track-audio').play()")
    screen.wait_for_function("document.getElementById('track-audio').currentTime > 0.5")
    assert_no_violations(screen, "a plan's page with its track ready")

    # Regression: the private link, one long word, ran off a phone's screen; the page
    # scrolled sideways and a click on the button below it landed on the link's section.
    width = screen.evaluate("document.documentElement.scrollWidth")
    assert width <= screen.viewport_size["width"], "the page is wider than the screen"
    screen.get_by_role("button", name="Make a code", exact=True).click()
    screen.wait_for_selector("#share-code")   # the form's POST, then the plan's page again
    code = read_code(screen)
    assert len(code) == 6 and code.isdigit()
    words = " ".join(num2words(int(digit)) for digit in code)
    assert screen.inner_text(".voice .say") == f"\u201cAlexa, ask Mat Coach for code {words}\u201d"
    assert_no_violations(screen, "a plan's page with its share code")

    # The client says it to their speaker: the plan is theirs, offered when they open the
    # skill, and its Play URL serves the plan's own audio, without signing in.
    device = speaker_at(editing[0])
    device.intent("ShareCodeIntent", {"code": (code.lstrip("0") or "0", None)})
    assert "Right shoulder" in speech(device.intent("AMAZON.YesIntent"))
    device.intent("AMAZON.NoIntent")   # progress kept to themselves
    device.intent("AMAZON.StopIntent")
    assert speech(device.launch()).startswith(
        "Welcome to Mat Coach. Your therapist's plan for you: Right shoulder")
    stream = device.intent("AMAZON.YesIntent")["response"]["directives"][0]["audioItem"]
    with urllib.request.urlopen(stream["stream"]["url"], timeout=30) as audio:
        assert audio.headers["Content-Type"] == "audio/mpeg"
        assert audio.read(3) == b"ID3"


def test_a_routine_file_imported_replaces_the_steps(screen, tmp_path):
    routine = {"title": "From a file", "steps": [{"move": "mat-breathing"}, {"rest": "20s"}]}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(routine), encoding="utf-8")
    screen.click("text=Import or export a routine file (YAML)")
    screen.set_input_files("#import-file", str(path))
    screen.wait_for_selector("legend >> text=Step 2: Rest")
    assert screen.input_value("#routine-title") == "From a file"
    screen.wait_for_selector("#preview li")
    assert_no_violations(screen, "the editor after an import")


def test_a_file_that_is_not_a_routine_is_said_at_the_import(screen, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    screen.click("text=Import or export a routine file (YAML)")
    screen.set_input_files("#import-file", str(path))
    problem = screen.locator("#import-problem")
    problem.wait_for(state="visible")
    assert problem.inner_text().startswith("list.yaml: this is not a routine")


def test_a_plan_written_while_signed_out_elsewhere_is_not_lost(screen):
    screen.fill("#routine-title", "Written through a sign-out")
    add_move(screen, "calves", "Calf stretch at the wall")
    elsewhere = screen.context.new_page()   # another tab: the same cookies
    elsewhere.goto("/therapist/")
    elsewhere.click("text=Sign out")
    elsewhere.wait_for_url("**/therapist/sign-in")
    screen.click("text=Save plan")
    screen.wait_for_selector("#save-status >> text=Sign in again in another tab")
    assert screen.input_value("#routine-title") == "Written through a sign-out"

    elsewhere.fill("#email", ANN)
    elsewhere.fill("#password", PASSWORD)
    elsewhere.click("button[type=submit]")
    elsewhere.wait_for_url("**/therapist/")
    screen.click("text=Save plan")   # a new session: the editor fetches its token itself
    screen.wait_for_url("**/therapist/plans/*")
    assert "Written through a sign-out" in screen.inner_text("h1")


def test_a_work_time_the_moves_cues_do_not_fit_is_put_right_in_the_editor(screen):
    """A round minute puts the Glute roll's reminder on its halfway chime; the step's
    cue switches settle it without a routine file."""
    screen.fill("#routine-title", "Glutes")
    add_move(screen, "glutes", "Glute roll")
    screen.fill("#step-0-work", "1m")
    problem = screen.locator("#step-0-cues-every-problem")
    problem.wait_for(state="visible")
    assert "halfway" in problem.inner_text()
    screen.select_option("#step-0-cues-halfway", "off")
    problem.wait_for(state="hidden")
    screen.wait_for_selector("#preview li >> text=Glute roll")
    screen.click("text=Save plan")
    screen.wait_for_url("**/therapist/plans/*")
