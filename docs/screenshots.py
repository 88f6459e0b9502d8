"""Take the README's screenshots of a running Mat Coach (issue 12): the library and the
follow-along view, at a phone's size (390x844) and a desktop's (1280x900).

    make run                                   # in one terminal: the full library
    .venv/bin/python docs/screenshots.py       # in another, once the routines are built

Options: --url (default http://127.0.0.1:5000), --routine (default lower-back-release),
--out (default docs/). Needs Chromium at /usr/bin/chromium, or MATCOACH_CHROMIUM.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.request
from pathlib import Path

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# A moment worth showing: this far into the first step with work on one side.
INTO_THE_WORK_MS = 8_000


def main() -> None:
    options = _options()
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("MATCOACH_CHROMIUM", "/usr/bin/chromium")
    moment = _moment(options.url, options.routine)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--no-sandbox", "--mute-audio"])
        for name, size in SIZES.items():
            phone = name == "phone"
            context = browser.new_context(base_url=options.url, viewport=size,
                                          is_mobile=phone, has_touch=phone,
                                          device_scale_factor=2 if phone else 1)
            page = context.new_page()
            page.goto("/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=options.out / f"library-{name}.png")
            page.goto(f"/routines/{options.routine}")
            page.wait_for_function("document.getElementById('audio').readyState >= 1")
            page.evaluate("""ms => new Promise(done => {
                const audio = document.getElementById('audio');
                audio.addEventListener('seeked', () => setTimeout(done, 300), {once: true});
                audio.currentTime = ms / 1000;
            })""", moment)
            page.screenshot(path=options.out / f"follow-along-{name}.png")
            context.close()
            print(f"wrote {options.out}/library-{name}.png and follow-along-{name}.png")
        browser.close()


def _moment(url: str, routine: str) -> int:
    """A few seconds into the work of the routine's first step done on one side."""
    with urllib.request.urlopen(f"{url}/routines/{routine}/chapters.json") as reply:
        chapters = json.load(reply)["chapters"]
    sided = [c for c in chapters if "side" in c["title"]] or chapters[1:2] or chapters
    return int(sided[0]["startTime"] * 1000) + INTO_THE_WORK_MS


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--routine", default="lower-back-release")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    return parser.parse_args()


if __name__ == "__main__":
    main()
