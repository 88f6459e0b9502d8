"""Issue 12: axe-core, run in a real Chromium on the real pages, finds no accessibility
problem on the library, the routine page, the feed page, the not-found page and the pages
of a routine not built yet, on a phone and on a desktop, in the states a person sees them
in (filtered, nothing matching, transcript open, playing, offering to continue...).

axe-core is kept in tests/web/axe/ (its README says which version and how to update it).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from audio.status import STATUS_FILE
from matcoach.app import create_app

from ..served import serving
from .building import NEW_ID, building, report
from .conftest import PHONE, opened

AXE_DIR = Path(__file__).parent / "axe"
AXE = AXE_DIR / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no rule tagged "wcag22a": the 2.2
# criteria at level A it can check are already under wcag2a), and Deque's best practices
# (landmarks, one main, heading order...). Not AAA, and not "experimental" (rules that
# are not finished and change between releases). wcag22aa brings target-size (24 px),
# which axe only runs when asked for by tag.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}

DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
             "desktop": {"viewport": DESKTOP}}


def audit(page) -> dict:
    """axe's results for the page as it is now (axe injected into the page itself)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("options => axe.run(document, options)", OPTIONS)


def report_of(violations: list[dict]) -> str:
    """One paragraph a person can act on per violation: the rule, how bad, what it wants,
    where (the nodes' selectors) and axe's own words on how to fix the first few."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}  <{rule['helpUrl']}>")
        for node in rule["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' >> '.join(map(str, node['target']))}: {summary}")
        if len(rule["nodes"]) > 8:
            lines.append(f"    ... and {len(rule['nodes']) - 8} more")
    return "\n".join(lines)


def assert_no_violations(page, where: str) -> None:
    violations = audit(page)["violations"]
    if violations:
        pytest.fail(f"axe finds {len(violations)} kind(s) of problem on {where}:\n"
                    + report_of(violations))


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser, server):
    """A page on a phone and on a desktop; fails the test on a script error."""
    with opened(browser, server, VIEWPORTS[request.param]) as page:
        yield page


# --- The states of the pages, each with a check that the page is in that state ---------


def shown(page, selector: str) -> None:
    page.wait_for_selector(selector, state="visible")


def playing(page) -> None:
    page.click("#play-pause")
    page.wait_for_function("() => { const a = document.getElementById('audio');"
                           " return !a.paused && a.currentTime > 0.5; }")
    shown(page, ".step.current[aria-current=step]")
    assert page.get_attribute("#play-pause", "aria-label") == "Pause"


def offering_to_continue(page) -> None:
    page.evaluate("""() => localStorage.setItem('matcoach.place.calf-care', JSON.stringify({
        build: document.getElementById('follow').dataset.build, step: 2,
        title: document.querySelectorAll('#steps .step')[2].dataset.title}))""")
    page.reload()
    shown(page, "#resume")


def failing_track(page) -> None:
    page.route("**/*.mp3*", lambda route: route.fulfill(status=404, body="gone"))
    page.reload()
    shown(page, "#player-problem")


def saved(page) -> None:
    page.click("#save-offline")
    page.wait_for_function("document.getElementById('offline-status').textContent"
                           ".startsWith('Saved on this device')")
    shown(page, "#remove-offline")


def library_with_one_saved(page) -> None:
    page.goto("/routines/calf-care")
    saved(page)
    page.goto("/")
    shown(page, ".card[data-id='calf-care'] .saved")


def copied(page) -> None:
    page.click("#copy-feed")
    page.wait_for_function("() => document.getElementById('copied').textContent !== ''")


def skip_link_focused(page) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"


STATES = {
    "library": ("/", lambda page: shown(page, "#cards .card")),
    "library filtered": ("/?equipment=spiky-ball", lambda page: shown(page, "#filters")),
    "library, nothing matches": ("/?equipment=spiky-ball&goal=reduce-stress",
                                 lambda page: shown(page, "#none")),
    "library, skip link focused": ("/", skip_link_focused),
    "routine": ("/routines/calf-care", lambda page: shown(page, "#follow")),
    "routine, transcript open": ("/routines/calf-care", lambda page: (
        page.click(".transcript summary"), shown(page, ".transcript ol"))),
    "routine, playing": ("/routines/calf-care", playing),
    "routine, offering to continue": ("/routines/calf-care", offering_to_continue),
    "routine, track will not load": ("/routines/calf-care", failing_track),
    "routine, saved for offline": ("/routines/calf-care", saved),
    "library, a routine saved": ("/", library_with_one_saved),
    "no connection": ("/offline", lambda page: shown(page, "text=Open the library")),
    "feed page": ("/feed.xml", lambda page: shown(page, "#feed-url")),
    "feed page, address copied": ("/feed.xml", copied),
    "not found": ("/routines/no-such-routine", lambda page: shown(page, "text=See all routines")),
}


@pytest.mark.parametrize("state", STATES)
def test_axe_finds_nothing_wrong(screen, state):
    path, reach = STATES[state]
    screen.goto(path)
    reach(screen)
    assert_no_violations(screen, f"{state} ({path})")


# --- A routine not built yet: being prepared, failed, or no builder running ------------


def waiting(tracks: Path) -> None:
    building(tracks, ready_in_s=40)


def failed(tracks: Path) -> None:
    report(tracks, done=0, total=1, failed={NEW_ID: "the voice could not say 'ça'"})


def unbuilt(tracks: Path) -> None:
    (tracks / STATUS_FILE).unlink(missing_ok=True)


BUILDER = {"being prepared": waiting, "could not be built": failed, "not built": unbuilt}
EXPECTED_STATE = {"being prepared": "waiting", "could not be built": "failed",
                  "not built": "unbuilt"}


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("builder", BUILDER)
@pytest.mark.parametrize("path", ["/", f"/routines/{NEW_ID}"])
def test_axe_finds_nothing_wrong_while_a_routine_is_not_built(browser, growing_app,
                                                             served_tracks, viewport,
                                                             builder, path):
    BUILDER[builder](served_tracks)
    with serving(growing_app) as address:
        with opened(browser, address, VIEWPORTS[viewport]) as page:
            page.goto(path)
            state = page.get_attribute(f'[data-id="{NEW_ID}"][data-state]', "data-state")
            assert state == EXPECTED_STATE[builder]
            assert_no_violations(page, f"{path} with a routine {builder}")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_nothing_wrong_in_an_empty_library(browser, tmp_path, served_tracks,
                                                     viewport):
    (tmp_path / "empty").mkdir()
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(served_tracks),
                      "LIBRARY_DIR": str(tmp_path / "empty"),
                      "DATABASE": str(tmp_path / "db.sqlite")})
    with serving(app) as address, opened(browser, address, VIEWPORTS[viewport]) as page:
        page.goto("/")
        assert "There are no routines in the library yet." in page.inner_text("main")
        assert_no_violations(page, "an empty library (/)")


# --- The check itself: it sees problems, and it measures targets -----------------------


SMALL = "all: unset; display: inline-block; width: 12px; height: 12px"


@pytest.mark.parametrize("spoil, rule", [
    ("document.querySelector('#play-pause').removeAttribute('aria-label')", "button-name"),
    ("document.querySelector('.meta').style.color = '#aaa'", "color-contrast"),
    ("document.querySelector('h2').outerHTML = '<h4>Skipped two levels</h4>'",
     "heading-order"),
    ("document.body.prepend(Object.assign(document.createElement('p'),"
     " {textContent: 'Outside every landmark'}))", "region"),
    # Two buttons of 12 px side by side: too small, and too close to have room around them.
    ("document.querySelector('#steps').insertAdjacentHTML('afterend',"
     f" '<p><button style=\"{SMALL}\">a</button><button style=\"{SMALL}\">b</button></p>')",
     "target-size"),
])
def test_the_check_finds_a_problem_put_there(page, spoil, rule):
    page.goto("/routines/calf-care")
    page.evaluate(spoil)
    found = {v["id"]: v for v in audit(page)["violations"]}
    assert rule in found, f"axe missed {rule}; it found {sorted(found)}"
    assert report_of([found[rule]]).startswith(f"{rule} (")


def test_target_size_is_checked_on_the_real_controls(phone):
    """axe leaves target-size out unless asked for (it is off by default): it ran, and
    measured the player's buttons and every step's."""
    phone.goto("/routines/calf-care")
    phone.add_script_tag(path=str(AXE))
    measured = phone.evaluate("""async options => {
        const results = await axe.run(document, options);
        const rule = results.passes.find(r => r.id === 'target-size');
        if (!rule) { return null; }
        const elements = rule.nodes.map(node => document.querySelector(node.target[0]));
        return {controls: elements.filter(e => e.closest('.controls')).map(e => e.id),
                steps: elements.filter(e => e.matches('.step')).length,
                all_steps: document.querySelectorAll('.step').length};
    }""", {**OPTIONS, "resultTypes": ["passes"]})
    assert measured is not None, "target-size did not run"
    assert sorted(measured["controls"]) == ["back-step", "next-step", "play-pause"]
    assert measured["steps"] == measured["all_steps"] > 0


def test_the_kept_axe_is_the_one_its_readme_names():
    readme = (AXE_DIR / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(AXE.read_bytes()).hexdigest()
    assert digest in readme, "axe.min.js changed: update its README (version, sha256)"
    version = re.search(r"axe-core (\d+\.\d+\.\d+)", readme).group(1)
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{version}\n")
    assert (AXE_DIR / "LICENSE").exists() and (AXE_DIR / "LICENSE-3RD-PARTY.txt").exists()
