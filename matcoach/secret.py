"""The key that signs the web app's session cookies and form tokens: MATCOACH_SECRET_KEY,
or one made once and kept in the data home, readable by its owner only, so that every
worker (and every restart) shares it and `make run` needs no set-up."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from .config import ConfigError

FILE_NAME = "secret-key"
MIN_LENGTH = 32   # characters of the environment's key; made keys are 64 hex (256 bits)


def secret_key(home: Path) -> str:
    """The key from the environment, else the one kept in `home` (made on first use).
    Raises ConfigError for a key too short to resist guessing, or a kept file others can
    read; OSError when `home` cannot be written."""
    configured = os.environ.get("MATCOACH_SECRET_KEY", "").strip()
    if configured:
        if len(configured) < MIN_LENGTH:
            raise ConfigError(f"MATCOACH_SECRET_KEY is {len(configured)} characters; use at "
                              f"least {MIN_LENGTH} random ones (python3 -c 'import secrets; "
                              "print(secrets.token_hex(32))' makes one), or unset it.")
        return configured
    path = home / FILE_NAME
    if not path.exists():
        _make(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ConfigError(f"{path} can be read by other users of this computer; make it "
                          f"yours alone (chmod 600 {path}) or delete it for a new one "
                          "(everyone signed in is then signed out).")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise ConfigError(f"{path} does not hold a key; delete it and Mat Coach makes a new "
                          "one (everyone signed in is then signed out).")
    return key


def _make(path: Path) -> None:
    """Write a new key to `path` unless another process got there first: written whole to
    a file of its own (mode 0600 from its creation), then linked into place, which fails
    if the name exists; so nobody reads a half-written key or replaces another's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass   # another worker made it: theirs is the key
    finally:
        draft.unlink(missing_ok=True)
