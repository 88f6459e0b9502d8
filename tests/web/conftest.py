"""Fixtures for the web tests: pages that show routines not built yet (a library of the
three built routines and one more, served from a copy of the built tracks), and a real
headless Chromium on the real app on a real port."""

from __future__ import annotations

import contextlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from audio.maker import TrackMaker
from builder.library import load_library
from matcoach.app import create_app

from ..served import serving
from .building import NEW_ID, NEW_ROUTINE


@pytest.fixture(scope="session")
def growing_library(tmp_path_factory, library_dir) -> Path:
    """The fixture library plus NEW_ID (read only: the apps only look at it)."""
    folder = tmp_path_factory.mktemp("growing-library")
    for path in library_dir.glob("*.yaml"):
        shutil.copyfile(path, folder / path.name)
    (folder / f"{NEW_ID}.yaml").write_text(textwrap.dedent(NEW_ROUTINE), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def new_built(tmp_path_factory, growing_library, piper, encoder, cache_dir) -> Path:
    """A folder with NEW_ID built by the real voice and encoder, ready to be published."""
    out = tmp_path_factory.mktemp("new-built")
    routine = load_library(growing_library).routines[NEW_ID]
    TrackMaker(piper, encoder, cache_dir, out).make(routine)
    return out


@pytest.fixture
def served_tracks(tmp_path, tracks_dir) -> Path:
    """A copy of the built tracks this test may change (the session's stay as they are)."""
    return Path(shutil.copytree(tracks_dir, tmp_path / "tracks"))


@pytest.fixture
def growing_app(tmp_path, growing_library, served_tracks):
    """The app serving the growing library, in which NEW_ID is not built."""
    return create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(served_tracks),
                       "LIBRARY_DIR": str(growing_library),
                       "DATABASE": str(tmp_path / "matcoach.sqlite")})


@pytest.fixture
def growing_client(growing_app):
    return growing_app.test_client()


# --- A real headless Chromium on the real app (the browser tests) ---

CHROMIUM = Path(os.environ.get("MATCOACH_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
HOW_TO_GET_IT = (f"Chromium is not at {CHROMIUM}. Install Debian's package "
                 "(sudo apt-get install chromium) or set MATCOACH_CHROMIUM to a Chromium binary.")


@pytest.fixture(scope="module")
def driver():
    """Playwright, to launch Chromium with (skipped, or failed in CI, without Chromium)."""
    if not CHROMIUM.exists():
        # .ci/run installs Chromium and sets MATCOACH_REQUIRE_BROWSER, so CI never skips.
        if os.environ.get("MATCOACH_REQUIRE_BROWSER"):
            pytest.fail(HOW_TO_GET_IT)
        pytest.skip(HOW_TO_GET_IT)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(driver, server):
    """Chromium, closed before the server stops (so no request is cut off by the stop)."""
    chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, library_dir, tracks_dir):
    """The real app on a real port, stopped cleanly after the browser has gone."""
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                      "LIBRARY_DIR": str(library_dir),
                      "DATABASE": str(tmp_path_factory.mktemp("db") / "db.sqlite")})
    with serving(app) as address:
        yield address


@contextlib.contextmanager
def opened(browser, address: str, options: dict):
    """A page in a new context of `options` at `address`, closed on leaving; a script
    error on it fails the test. The service worker is blocked unless `options` allow it
    ({"service_workers": "allow"}): Playwright's routes do not see the requests a service
    worker makes, and whether it controls a page yet would depend on timing."""
    context = browser.new_context(base_url=address, **{"service_workers": "block", **options})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
    finally:
        context.close()
    assert errors == [], f"the page's script failed: {errors}"


@pytest.fixture
def page(browser, server):
    with opened(browser, server, {"accept_downloads": True}) as page:
        yield page


PHONE = {"width": 390, "height": 844}
ON_A_PHONE = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, server):
    """A page in a phone-sized, touch context (390×844); fails the test on a script error."""
    with opened(browser, server, ON_A_PHONE) as page:
        yield page
