"""Settings from the environment (documented in the README), overridable by create_app()."""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder import home

OFF = ("0", "off", "false", "no")
UNITS = {"K": 2**10, "M": 2**20, "G": 2**30}
# The built-in library (14 routines, 3 h 24 min) is 98 MB of MP3s a build and 235 MB of
# spoken phrases (331 of them, measured in a cache on 2026-12-01), and its encoded islands
# are the sounding part of those MP3s (2,450 s of speech at 64 kbit/s: about 20 MB):
# 1 GiB holds it with room for earlier builds, and for a second voice's phrases.
DEFAULT_DISK_CAP = 2**30


def from_environment() -> dict:
    """The app's configuration as the environment sets it."""
    env = os.environ.get
    return {
        "SKILL_ID": env("MATCOACH_SKILL_ID", ""),
        # Unset (local use): links follow the address each request came to.
        "BASE_URL": env("MATCOACH_BASE_URL", "").strip().rstrip("/"),
        "AUDIO_DIR": str(home.tracks_dir()),
        "DATABASE": str(home.database_path()),
        "LIBRARY_DIR": env("MATCOACH_ROUTINES") or None,
        # Therapists' plans (plans/): a SQLAlchemy URL; the data home's SQLite file unset.
        "PLANS_URL": env("MATCOACH_PLANS_URL", "").strip() or plans_url(),
        # Plans' tracks, each in a folder of its own, never served as public files.
        "PLAN_AUDIO_DIR": str(plan_audio_dir()),
        # Reverse proxies in front (nginx: 1): the client's address and scheme are then
        # taken from the X-Forwarded-For and -Proto headers they add (werkzeug's ProxyFix).
        "PROXIES": proxies(),
        # Therapists may make their own accounts at /therapist/sign-up (off: accounts are
        # made with `matcoach therapist add EMAIL`).
        "SIGN_UP": env("MATCOACH_SIGN_UP", "off").strip().lower() not in OFF,
        # None: MATCOACH_SECRET_KEY, or the key kept in the data home (matcoach/secret.py).
        "SECRET_KEY": None,
        "VERIFY_REQUESTS": env("MATCOACH_VERIFY", "on").strip().lower() not in OFF,
        # For tests and unusual deployments: trust roots (list of x509 certificates), the
        # certificate-chain fetcher (url -> bytes) and the clock (-> aware datetime).
        "TRUST_ROOTS": None,
        "CERT_FETCH": None,
        "CLOCK": None,
        # Downloads one process serves at once (None: no limit); `matcoach serve` sets it
        # from its --threads, keeping two threads for Alexa and the pages.
        "DOWNLOAD_SLOTS": None,
        # Checked at start, though only the builder uses it: a typo should not wait for
        # the first build to be noticed.
        "DISK_CAP": disk_cap(),
    }


def proxies() -> int:
    """MATCOACH_PROXIES: how many reverse proxies stand in front of the app (0 to 5)."""
    text = os.environ.get("MATCOACH_PROXIES", "").strip() or "0"
    if not (text.isascii() and text.isdigit() and int(text) <= 5):
        raise ConfigError(f'MATCOACH_PROXIES is "{text}"; set it to the number of reverse '
                          "proxies in front of Mat Coach (1 behind nginx), or unset it.")
    return int(text)


def plan_audio_dir():
    """Where plans' tracks are built: MATCOACH_PLAN_AUDIO_DIR, else HOME/plan-tracks."""
    configured = os.environ.get("MATCOACH_PLAN_AUDIO_DIR", "").strip()
    return Path(configured).expanduser().resolve() if configured else (
        home.data_home() / "plan-tracks")


def plans_url() -> str:
    """The plans store in the data home: a SQLite file."""
    return f"sqlite:///{home.data_home() / 'plans.sqlite'}"


def disk_cap() -> int:
    """The size cap of tracks and cache in bytes, from MATCOACH_DISK_CAP: a whole number of
    bytes, or with K, M or G (1024, 1024² and 1024³ bytes), as in "500M" or "2G" (default
    DEFAULT_DISK_CAP). Raises ConfigError for anything else."""
    text = os.environ.get("MATCOACH_DISK_CAP", "").strip().upper().removesuffix("B")
    if not text:
        return DEFAULT_DISK_CAP
    # [0-9], not \d: \d matches any Unicode digit ("²"), which float() refuses.
    match = re.fullmatch(r"([0-9]{1,15}(?:\.[0-9]{1,6})?) ?([KMG]?)", text)
    value = float(match[1]) * UNITS.get(match[2], 1) if match else 0
    if value < 1:
        raise ConfigError(f'MATCOACH_DISK_CAP is "{os.environ["MATCOACH_DISK_CAP"]}"; set it to '
                          'a size such as 500M or 2G (bytes, or K, M or G), or unset it for '
                          f"{DEFAULT_DISK_CAP // 2**30}G.")
    return int(value)


class ConfigError(Exception):
    """A setting the app cannot start with."""
