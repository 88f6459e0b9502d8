"""`matcoach serve --certfile F --keyfile K`: https with a certificate of one's own (made
here by a test authority), so a phone that reaches the computer by its address is in a
secure context (saving for offline, the screen kept on); and every wrong pair refused in
one sentence before anything starts."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import xml.etree.ElementTree as ET

import pytest
from cryptography.hazmat.primitives import serialization

from ..pki import Authority
from .running import COMMAND, Server, environment, free_port, get


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority("Mat Coach Test TLS")


@pytest.fixture
def pair(tmp_path, authority):
    """(certificate chain, key) files for localhost and 127.0.0.1."""
    server = authority.server()
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_bytes(server.pem())
    key.write_bytes(server.key_pem())
    return cert, key


@pytest.fixture
def trusting(authority) -> ssl.SSLContext:
    """A client that trusts the test authority (as a phone would after installing it)."""
    context = ssl.create_default_context()
    context.load_verify_locations(cadata=authority.root.public_bytes(
        serialization.Encoding.PEM).decode("ascii"))
    return context


@pytest.fixture
def home(tmp_path, tracks_dir):
    data = tmp_path / "home"
    shutil.copytree(tracks_dir, data / "tracks")
    return data


@pytest.mark.parametrize("dev", [False, True], ids=["gunicorn", "dev"])
def test_it_serves_https_with_a_certificate_of_ones_own(tmp_path, home, library_dir, pair,
                                                        trusting, dev):
    cert, key = pair
    env = environment(home, MATCOACH_ROUTINES=str(library_dir))
    server = Server(tmp_path, env, "--no-verify", "--no-build", "--certfile", str(cert),
                    "--keyfile", str(key), *(["--dev"] if dev else []), tls=trusting)
    try:
        server.started()
        status, _, body = get(server.url + "/feed.xml", tls=trusting)
        assert status == 200
        enclosure = ET.fromstring(body).find("channel/item/enclosure").get("url")
        assert enclosure.startswith(f"https://127.0.0.1:{server.port}/audio/")
        assert get(server.url.replace("https", "http") + "/") is None, "https only"
        assert server.stop() == 0
    finally:
        server.kill()
    assert f"Mat Coach on https://localhost:{server.port}/" in server.errors()


def refused(home, library_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(COMMAND), "serve", "--port", str(free_port()), "--no-verify",
                           "--no-build", *args], timeout=30, capture_output=True, text=True,
                          env=environment(home, MATCOACH_ROUTINES=str(library_dir)))


def bad_pairs(tmp_path, authority, pair):
    cert, key = pair
    other = tmp_path / "other-key.pem"
    other.write_bytes(authority.server().key_pem())
    locked = tmp_path / "locked-key.pem"
    locked.write_bytes(authority.server().key_pem(passphrase=b"secret"))
    text = tmp_path / "notes.txt"
    text.write_text("not a certificate\n")
    return {
        "missing": (["--certfile", str(tmp_path / "nope.pem"), "--keyfile", str(key)],
                    f"{tmp_path / 'nope.pem'} is not a file"),
        "mismatch": (["--certfile", str(cert), "--keyfile", str(other)],
                     f"The key {other} does not belong to the certificate {cert}."),
        "passphrase": (["--certfile", str(cert), "--keyfile", str(locked)],
                       "is protected by a passphrase"),
        "not pem": (["--certfile", str(text), "--keyfile", str(key)],
                    f"Cannot use {text} with {key} for TLS"),
        "alone": (["--certfile", str(cert)], "--certfile and --keyfile go together"),
    }


@pytest.mark.parametrize("case", ["missing", "mismatch", "passphrase", "not pem", "alone"])
def test_a_pair_that_cannot_serve_is_refused_in_one_sentence(tmp_path, home, library_dir,
                                                             authority, pair, case):
    args, said = bad_pairs(tmp_path, authority, pair)[case]
    result = refused(home, library_dir, *args)
    assert result.returncode != 0
    assert said in result.stderr
    assert "Traceback" not in result.stderr
    assert "Mat Coach on" not in result.stderr, "refused before it started"
