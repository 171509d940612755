"""An NCANode-compatible verifier stand-in for development and tests: it answers NCANode 3.x's
POST /cms/verify (the call osms.core.eds.NcaNodeClient makes) for detached CMS signatures made with
the test chain of `pki`. It checks the signature over the given data, the chain to the test root
(standing in for НУЦ РК), the validity dates and revocation (the test chain's revoked list, reported
as by OCSP), and answers in NCANode's shape. Never used in production: there NCANODE_URL points at
a real NCANode.

    python -m osms.core.testing.ncanode_standin [--port 14579] [--pki var/eds-test-pki]
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from .pki import TestPki

_HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512(), "sha1": hashes.SHA1()}  # noqa: S303  # nosec B303 # test stand-in only: reads old signatures as NCANode does


class Unreadable(Exception):
    pass


def _signature_ok(cert: x509.Certificate, signer_info, data: bytes) -> bool:
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    digest = _HASHES.get(algorithm)
    if digest is None:
        return False
    signed_attrs = signer_info["signed_attrs"]
    if signed_attrs.native:
        wanted = {attr["type"].native: attr["values"][0].native for attr in signed_attrs}
        if wanted.get("message_digest") != hashlib.new(algorithm, data).digest():
            return False
        to_verify = b"\x31" + signed_attrs.dump()[1:]  # the attributes are signed as a SET
    else:
        to_verify = data
    key = cert.public_key()
    signature = signer_info["signature"].native
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, to_verify, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, to_verify, ec.ECDSA(digest))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _certificate_answer(pki: TestPki, cert: x509.Certificate, now: dt.datetime) -> dict:
    try:
        cert.verify_directly_issued_by(pki.root)
        chained = True
    except (ValueError, TypeError, InvalidSignature):
        chained = False
    in_dates = cert.not_valid_before_utc <= now <= cert.not_valid_after_utc
    revoked = chained and pki.is_revoked(cert.serial_number)
    serial = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    subject_serial = str(serial[0].value) if serial else ""
    common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return {
        "valid": chained and in_dates and not revoked,
        "revocations": [{"revoked": revoked, "by": "OCSP", "revocationTime": None, "reason": None}],
        "notBefore": cert.not_valid_before_utc.isoformat(),
        "notAfter": cert.not_valid_after_utc.isoformat(),
        "keyUsage": "SIGN",
        "serialNumber": format(cert.serial_number, "x"),
        "signAlg": "SHA256withRSA",
        "subject": {
            "commonName": str(common[0].value) if common else "",
            "serialNumber": subject_serial,
            "iin": subject_serial[3:] if subject_serial.startswith("IIN") else None,
            "country": "KZ",
        },
        "issuer": {"commonName": cert.issuer.rfc4514_string()},
    }


def verify_cms(pki: TestPki, payload: dict) -> dict:
    """The answer NCANode 3.x gives to POST /cms/verify {"cms", "data", "revocationCheck"}."""
    try:
        der = base64.b64decode(payload.get("cms") or "", validate=True)
        data = base64.b64decode(payload.get("data") or "", validate=True)
        signed = asn1_cms.ContentInfo.load(der)["content"]
        certificates = [x509.load_der_x509_certificate(c.chosen.dump()) for c in signed["certificates"]]
        signer_infos = list(signed["signer_infos"])
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise Unreadable(str(exc)) from exc
    now = dt.datetime.now(dt.UTC)
    signers, all_valid = [], bool(signer_infos)
    for signer_info in signer_infos:
        sid = signer_info["sid"].chosen
        serial = sid["serial_number"].native if "serial_number" in sid else None
        cert = next((c for c in certificates if c.serial_number == serial), None)
        if cert is None:
            raise Unreadable("the signer's certificate is not in the CMS")
        answer = _certificate_answer(pki, cert, now)
        all_valid = all_valid and answer["valid"] and _signature_ok(cert, signer_info, data)
        signers.append({"certificates": [answer], "signatureAlgorithmName": "SHA256withRSA"})
    return {"status": 200, "message": "OK", "valid": all_valid, "signers": signers}


def make_handler(pki: TestPki):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/cms/verify":
                    status, body = 404, {"status": 404, "message": "Not found"}
                else:
                    status, body = 200, verify_cms(pki, payload)
            except (Unreadable, ValueError) as exc:
                status, body = 400, {"status": 400, "message": f"Failed to read the CMS: {exc}"}
            encoded = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, *args):
            pass

    return Handler


def start(pki: TestPki, *, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve in a background thread; returns the server and its URL (for NCANODE_URL)."""
    server = ThreadingHTTPServer((host, port), make_handler(pki))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=14579)
    parser.add_argument("--pki", type=Path, default=Path("var/eds-test-pki"))
    args = parser.parse_args()
    pki = TestPki.load_or_generate(args.pki)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(pki))
    print(f"NCANode stand-in (TEST chain in {args.pki}) at http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
