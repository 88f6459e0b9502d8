"""A certificate authority made in the tests, standing in for Amazon's, and a request signer."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Authority:
    """A root CA and an intermediate under it, which can issue signing certificates."""

    name: str
    root_key: rsa.RSAPrivateKey = field(default_factory=_key)
    issuer_key: rsa.RSAPrivateKey = field(default_factory=_key)

    def __post_init__(self) -> None:
        self.root = self._ca(_name(f"{self.name} Root"), self.root_key, None, self.root_key)
        self.intermediate = self._ca(_name(f"{self.name} Server CA"), self.issuer_key,
                                     self.root, self.root_key, path_length=0)

    def _ca(self, subject, key, issuer_cert, issuer_key, path_length=None) -> x509.Certificate:
        issuer = issuer_cert.subject if issuer_cert else subject
        builder = _base(subject, issuer, key, NOW - dt.timedelta(days=365),
                        NOW + dt.timedelta(days=3650))
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=path_length),
                                        critical=True)
        builder = builder.add_extension(_usage(cert_sign=True), critical=True)
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_key.public_key()), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def signer(self, *, dns: str = "echo-api.amazon.com", days: tuple[int, int] = (-1, 30),
               digital_signature: bool = True) -> Signer:
        """A signing certificate issued by the intermediate, and its key."""
        return self._leaf(dns, [x509.DNSName(dns)], days, digital_signature)

    def server(self, names: tuple[str, ...] = ("localhost", "127.0.0.1"), *,
               days: tuple[int, int] = (-1, 30), bits: int = 2048) -> Signer:
        """A TLS server certificate for `names` (host names and IP addresses), valid from
        days[0] to days[1] from now, and its RSA key of `bits`."""
        sans = [x509.IPAddress(ipaddress.ip_address(name)) if _is_ip(name)
                else x509.DNSName(name) for name in names]
        return self._leaf(names[0], sans, days, True, bits)

    def _leaf(self, name: str, sans: list, days: tuple[int, int],
              digital_signature: bool, bits: int = 2048) -> Signer:
        """A server-auth certificate issued by the intermediate, valid from days[0] to
        days[1] from now, and its key."""
        key = _key(bits)
        builder = _base(_name(name), self.intermediate.subject, key,
                        NOW + dt.timedelta(days=days[0]), NOW + dt.timedelta(days=days[1]))
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                        critical=True)
        builder = builder.add_extension(_usage(digital_signature=digital_signature),
                                        critical=True)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                        critical=False)
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            self.issuer_key.public_key()), critical=False)
        leaf = builder.sign(self.issuer_key, hashes.SHA256())
        return Signer(key, [leaf, self.intermediate])


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass
class Signer:
    """Signs request bodies the way Alexa does."""

    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]

    def pem(self) -> bytes:
        """The chain as Amazon serves it: signing certificate first."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    def key_pem(self, passphrase: bytes | None = None) -> bytes:
        """The private key as PEM (PKCS#8), encrypted when a passphrase is given."""
        encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                      else serialization.NoEncryption())
        return self.key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8, encryption)

    def headers(self, body: bytes, url: str = CHAIN_URL) -> dict[str, str]:
        """SignatureCertChainUrl and Signature-256 for `body`."""
        signature = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {"SignatureCertChainUrl": url,
                "Signature-256": base64.b64encode(signature).decode("ascii")}


def _base(subject, issuer, key, not_before, not_after) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False))


def _usage(cert_sign: bool = False, digital_signature: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=not cert_sign, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)
