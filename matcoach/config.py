"""Settings from the environment (documented in the README), overridable by create_app()."""

from __future__ import annotations

import os

from builder import home

OFF = ("0", "off", "false", "no")


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
        "VERIFY_REQUESTS": env("MATCOACH_VERIFY", "on").strip().lower() not in OFF,
        # For tests and unusual deployments: trust roots (list of x509 certificates), the
        # certificate-chain fetcher (url -> bytes) and the clock (-> aware datetime).
        "TRUST_ROOTS": None,
        "CERT_FETCH": None,
        "CLOCK": None,
        # Downloads one process serves at once (None: no limit); `matcoach serve` sets it
        # from its --threads, keeping two threads for Alexa and the pages.
        "DOWNLOAD_SLOTS": None,
    }


class ConfigError(Exception):
    """A setting the app cannot start with."""
