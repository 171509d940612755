"""A test certificate chain made with `cryptography`: a fake "НУЦ РК (TEST)" root and citizens'
certificates (subject SERIALNUMBER=IIN..., as НУЦ РК issues them) — valid, expired, revoked,
self-signed. For development and tests only; keys are generated, never committed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

KINDS = ("valid", "expired", "revoked", "self-signed")


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, iin: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if iin:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"))
    return x509.Name(parts)


def _pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class TestPki:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    user_key: rsa.RSAPrivateKey
    directory: Path | None = None
    revoked: set[int] = field(default_factory=set)

    @classmethod
    def generate(cls, directory: Path | None = None) -> TestPki:
        root_key = _key()
        now = dt.datetime.now(dt.UTC)
        name = _name("НУЦ РК (TEST ROOT, NOT REAL)")
        root = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(root_key, hashes.SHA256())
        )
        pki = cls(root_key=root_key, root=root, user_key=_key(), directory=directory)
        pki.save()
        return pki

    @classmethod
    def load_or_generate(cls, directory: Path) -> TestPki:
        if not (directory / "root.pem").exists():
            directory.mkdir(parents=True, exist_ok=True)
            return cls.generate(directory)
        load = serialization.load_pem_private_key
        return cls(
            root_key=load((directory / "root-key.pem").read_bytes(), None),
            root=x509.load_pem_x509_certificate((directory / "root.pem").read_bytes()),
            user_key=load((directory / "user-key.pem").read_bytes(), None),
            directory=directory,
            revoked=set(json.loads((directory / "revoked.json").read_text())),
        )

    def save(self) -> None:
        if self.directory is None:
            return
        (self.directory / "root-key.pem").write_bytes(_pem(self.root_key))
        (self.directory / "user-key.pem").write_bytes(_pem(self.user_key))
        (self.directory / "root.pem").write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        (self.directory / "revoked.json").write_text(json.dumps(sorted(self.revoked)))

    def is_revoked(self, serial: int) -> bool:
        if self.directory is not None and (self.directory / "revoked.json").exists():
            self.revoked |= set(json.loads((self.directory / "revoked.json").read_text()))
        return serial in self.revoked

    def certificate(self, iin: str, kind: str = "valid") -> x509.Certificate:
        """A citizen's signing certificate of the given kind (see KINDS)."""
        now = dt.datetime.now(dt.UTC)
        start, end = now - dt.timedelta(days=30), now + dt.timedelta(days=365)
        if kind == "expired":
            start, end = now - dt.timedelta(days=800), now - dt.timedelta(days=35)
        issuer_name, issuer_key = self.root.subject, self.root_key
        if kind == "self-signed":
            issuer_name, issuer_key = _name(f"ТЕСТОВ ТЕСТ {iin}", iin), self.user_key
        serial = x509.random_serial_number()
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"ТЕСТОВ ТЕСТ {iin}", iin))
            .issuer_name(issuer_name)
            .public_key(self.user_key.public_key())
            .serial_number(serial)
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )
        if kind == "revoked":
            self.revoked.add(serial)
            self.save()
        return cert

    def sign(self, data: bytes, *, iin: str, kind: str = "valid") -> str:
        """A detached CMS (base64), as NCALayer's createCMSSignatureFromBase64(..., false) makes it."""
        cert = self.certificate(iin, kind)
        der = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(data)
            .add_signer(cert, self.user_key, hashes.SHA256())
            .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        )
        import base64

        return base64.b64encode(der).decode("ascii")
