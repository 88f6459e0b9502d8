"""`matcoach serve --certfile F --keyfile K`: https with a certificate of one's own (made
here by a test authority), so a phone that reaches the computer by its address is in a
secure context (saving for offline, the screen kept on); and every wrong pair refused in
one sentence before anything starts."""

from __future__ import annotations

import os
import pwd
import shutil
import ssl
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

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


@pytest.mark.parametrize(("dev", "combined"), [(False, False), (True, False), (False, True)],
                         ids=["gunicorn", "dev", "one file holding both"])
def test_it_serves_https_with_a_certificate_of_ones_own(tmp_path, home, library_dir, pair,
                                                        trusting, dev, combined):
    cert, key = pair
    if combined:   # what some tools write: the chain and the key in one PEM file, given twice
        cert = key = tmp_path / "both.pem"
        key.write_bytes(pair[0].read_bytes() + pair[1].read_bytes())
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


def refused(home, library_dir, *args: str, before: tuple[str, ...] = (),
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`matcoach serve ARGS` (through the command `before`, from `cwd`): it should not start."""
    return subprocess.run([*before, str(COMMAND), "serve", "--port", str(free_port()),
                           "--no-verify", "--no-build", *args], timeout=30, cwd=cwd,
                          capture_output=True, text=True,
                          env=environment(home, MATCOACH_ROUTINES=str(library_dir)))


def assert_refused(result: subprocess.CompletedProcess, said: str) -> None:
    """Refused before anything started, with `said` as the whole message."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Mat Coach on" not in result.stderr, "refused before it started"
    assert result.stderr == f"Error: {said}\n"


@pytest.fixture(scope="module")
def wrong(tmp_path_factory, authority) -> Path:
    """A folder of files that cannot serve, each as someone might give it."""
    folder = tmp_path_factory.mktemp("wrong")
    server, other = authority.server(), authority.server()
    expired, early = authority.server(days=(-60, -30)), authority.server(days=(400, 800))
    small = authority.server(bits=1024)
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])).sign(server.key,
                                                                      hashes.SHA256())
    files = {
        "cert.pem": server.pem(), "key.pem": server.key_pem(),
        "other-key.pem": other.key_pem(),
        "locked-key.pem": server.key_pem(passphrase=b"secret"),
        "notes.txt": b"not a certificate\n",
        "empty.pem": b"",
        "cert.der": server.chain[0].public_bytes(serialization.Encoding.DER),
        "key.der": server.key.private_bytes(serialization.Encoding.DER,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()),
        "request.csr": request.public_bytes(serialization.Encoding.PEM),
        "intermediate-first.pem": b"".join(certificate.public_bytes(serialization.Encoding.PEM)
                                           for certificate in reversed(server.chain)),
        "expired.pem": expired.pem(), "expired-key.pem": expired.key_pem(),
        "early.pem": early.pem(), "early-key.pem": early.key_pem(),
        "small.pem": small.pem(), "small-key.pem": small.key_pem(),
        "damaged.pem": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "damaged-key.pem": b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "a-folder.pem").mkdir()
    (folder / "loop.pem").symlink_to("loop.pem")
    (folder / "public.pem").write_bytes(server.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return folder


def _day(certificate: str, wrong: Path, field: str) -> str:
    when = getattr(x509.load_pem_x509_certificates((wrong / certificate).read_bytes())[0], field)
    return f"{when:%Y-%m-%d %H:%M}"


# (--certfile, --keyfile, the sentence it is refused with): {cert} and {key} are the files'
# paths, so each sentence names the file that is wrong.
WRONG = {
    "missing": ("nope.pem", "key.pem", "{cert} is not a file; give the path of your PEM "
                "certificate (--certfile) and its private key (--keyfile)."),
    "a folder": ("cert.pem", "a-folder.pem", "{key} is not a file; give the path of your PEM "
                 "certificate (--certfile) and its private key (--keyfile)."),
    "a symlink to itself": ("loop.pem", "key.pem", "Cannot read {cert}: Too many levels of "
                            "symbolic links."),
    "mismatch": ("cert.pem", "other-key.pem",
                 "The key {key} does not belong to the certificate {cert}."),
    "passphrase": ("cert.pem", "locked-key.pem", "The key {key} is protected by a passphrase; "
                   "the server starts unattended, so give it the key unencrypted (openssl "
                   "pkey -in KEY -out NEW)."),
    "not pem": ("notes.txt", "key.pem", "{cert} is not a PEM certificate: it should start "
                "with -----BEGIN CERTIFICATE-----."),
    "empty": ("empty.pem", "key.pem", "{cert} is empty; it should hold the certificate in "
              "PEM (-----BEGIN CERTIFICATE-----)."),
    "der certificate": ("cert.der", "key.pem", "{cert} is not a PEM certificate: it should "
                        "start with -----BEGIN CERTIFICATE----- (if it is DER: openssl x509 "
                        "-inform DER -in {cert} -out NEW.pem)."),
    "der key": ("cert.pem", "key.der", "{key} is not a PEM private key: it should start with "
                "-----BEGIN PRIVATE KEY----- (if it is DER: openssl pkey -inform DER -in {key} "
                "-out NEW.pem)."),
    "key as certificate": ("key.pem", "key.pem", "{cert} holds a private key, not a "
                           "certificate: give it as --keyfile."),
    "certificate as key": ("cert.pem", "cert.pem", "{key} holds no private key (-----BEGIN "
                           "PRIVATE KEY-----); give the key the certificate was made for as "
                           "--keyfile."),
    "swapped": ("key.pem", "cert.pem", "{cert} holds a private key, not a certificate: give "
                "it as --keyfile."),
    "request": ("request.csr", "key.pem", "{cert} holds a certificate request, not a "
                "certificate: give the certificate issued for it."),
    "public key": ("public.pem", "key.pem", "{cert} holds no certificate (-----BEGIN "
                   "CERTIFICATE-----), only PUBLIC KEY."),
    "damaged certificate": ("damaged.pem", "key.pem", "{cert} holds a certificate that cannot "
                            "be read (damaged or cut short?); copy it again from your "
                            "authority."),
    "damaged key": ("cert.pem", "damaged-key.pem", "{key} holds a private key that cannot be "
                    "read (damaged or cut short?); copy it again from where it was made."),
    "intermediate first": ("intermediate-first.pem", "key.pem", "The key {key} belongs to the "
                           "certificate for CN=localhost, which is not the first in {cert}: "
                           "put the server's certificate first, then its intermediates."),
    "expired": ("expired.pem", "expired-key.pem", "The certificate in {cert} expired on "
                "{expired} UTC; renew it."),
    "not yet valid": ("early.pem", "early-key.pem", "The certificate in {cert} is not valid "
                      "until {early} UTC; check this computer's clock, or wait until then."),
    "key too small": ("small.pem", "small-key.pem", "OpenSSL refuses to serve TLS with {cert} "
                      "and {key}: the key is too small (RSA needs 2048 bits or more; make a "
                      "new key and have a certificate issued for it)."),
}


@pytest.mark.parametrize("case", WRONG)
def test_a_pair_that_cannot_serve_is_refused_in_one_sentence(home, library_dir, wrong, case):
    """Regression: an empty, DER, swapped or request file all got "PEM lib (_ssl.c:3905)"
    naming neither file; a chain out of order was called the wrong key; expired and
    not-yet-valid certificates were served, and phones refused them."""
    certname, keyname, sentence = WRONG[case]
    cert, key = wrong / certname, wrong / keyname
    said = sentence.format(cert=cert, key=key,
                           expired=_day("expired.pem", wrong, "not_valid_after_utc"),
                           early=_day("early.pem", wrong, "not_valid_before_utc"))
    result = refused(home, library_dir, "--certfile", str(cert), "--keyfile", str(key))
    assert_refused(result, said)


def test_a_certificate_without_its_key_is_refused(home, library_dir, pair):
    result = refused(home, library_dir, "--certfile", str(pair[0]))
    assert result.returncode == 2
    assert "Error: --certfile and --keyfile go together: give both, or neither." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_the_server_cannot_enter_is_refused_in_one_sentence(tmp_path, home,
                                                                     library_dir, pair):
    """Regression: Path.is_file() raises PermissionError on Python 3.11 for a file in a
    folder this user cannot enter (/etc/letsencrypt/live is 0700, for root alone), and the
    server stopped with a traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    for path in pair:
        shutil.copy(path, locked)
    before: tuple[str, ...] = ()
    if os.geteuid() == 0:
        # Root passes every permission check. Without these two capabilities it is held to
        # the folder's mode like anyone, and can still read the virtualenv and the sources
        # (which another user, such as nobody, may not: they can live under /root).
        if not shutil.which("setpriv"):
            pytest.skip("running as root, this needs setpriv (util-linux) to drop privileges")
        before = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all")
    locked.chmod(0)
    try:
        result = refused(home, library_dir, "--certfile", "locked/cert.pem",
                         "--keyfile", "locked/key.pem", before=before, cwd=tmp_path)
    finally:
        locked.chmod(0o700)
    user = pwd.getpwuid(os.geteuid()).pw_name
    assert_refused(result, f"Cannot read locked/cert.pem: permission denied (the server runs "
                           f"as {user}, who must be able to read the file and enter every "
                           "folder above it).")


def simulate(url: str, home: Path, library_dir: Path,
             ca: Path | None = None) -> subprocess.CompletedProcess:
    """`matcoach simulate --url URL`, saying hello, trusting `ca` through SSL_CERT_FILE."""
    env = environment(home, MATCOACH_ROUTINES=str(library_dir))
    env.pop("SSL_CERT_FILE", None)
    if ca is not None:
        env["SSL_CERT_FILE"] = str(ca)
    return subprocess.run([str(COMMAND), "simulate", "--url", url], input="open mat coach\n",
                          timeout=30, capture_output=True, text=True, env=env)


def test_simulate_says_when_this_machine_does_not_trust_the_certificate(
        tmp_path, home, library_dir, authority, trusting):
    """Regression: a server with a private authority's certificate was "Nothing answers at
    ... start the server", while it was up and the certificate untrusted. The certificate
    is for 127.0.0.1 alone, so that localhost shows the other refusal: a wrong name."""
    issued = authority.server(("127.0.0.1",))
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.write_bytes(issued.pem())
    key.write_bytes(issued.key_pem())
    ca.write_bytes(authority.root.public_bytes(serialization.Encoding.PEM))
    env = environment(home, MATCOACH_ROUTINES=str(library_dir))
    server = Server(tmp_path, env, "--no-verify", "--no-build", "--certfile", str(cert),
                    "--keyfile", str(key), tls=trusting)
    try:
        server.started()
        untrusted = simulate(server.url, home, library_dir)
        trusted = simulate(server.url, home, library_dir, ca=ca)
        misnamed = simulate(f"https://localhost:{server.port}", home, library_dir, ca=ca)
        assert server.stop() == 0
    finally:
        server.kill()
    assert untrusted.returncode == 1
    assert untrusted.stderr == (
        f"Error: The server at {server.url}/alexa answers, but its certificate is not trusted "
        "by this machine (unable to get local issuer certificate); set SSL_CERT_FILE to your "
        "certificate authority's file (PEM) for this command: SSL_CERT_FILE=rootCA.pem "
        f"matcoach simulate --url {server.url}\n")
    assert trusted.returncode == 0, trusted.stderr
    assert "Alexa: Welcome to Mat Coach." in trusted.stdout
    assert misnamed.returncode == 1
    assert misnamed.stderr == (
        f"Error: The server at https://localhost:{server.port}/alexa answers, but its "
        "certificate is refused (Hostname mismatch, certificate is not valid for "
        "'localhost'.); give --url the name the certificate was issued for, and renew it if "
        "it has expired.\n")
