"""A stand-in for an NCANode 3.x server on 127.0.0.1, speaking its documented HTTP API
(POST /xml/verify, POST /cms/verify: JSON in, {"status", "message", "valid", "signers"} out).

It does no cryptography: a test registers which "signatures" exist and whose they are. An XML
signature is recognised by the text of its ds:SignatureValue, a CMS by its whole base64 text; a
detached CMS is valid only for the data it was registered with, as NCANode checks the signature
against the `data` it is given.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Registered:
    iin: str
    valid: bool = True
    key_usage: str = "SIGN"
    data: bytes | None = None  # for a detached CMS: the bytes it signs


@dataclass
class NcaNodeStub:
    signatures: dict[str, Registered] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    fail_with: int | None = None  # answer every call with this HTTP status

    def certificate(self, entry: Registered) -> dict:
        return {
            "valid": entry.valid,
            "revocations": [{"revoked": not entry.valid, "by": "OCSP"}],
            "notBefore": "2026-01-01T00:00:00.000+00:00",
            "notAfter": "2027-01-01T00:00:00.000+00:00",
            "keyUsage": entry.key_usage,
            "serialNumber": "60ba4568ae98fa522a13fa711c6cb60c69bee2c4",
            "signAlg": "ECGOST34310",
            "keyUser": ["INDIVIDUAL"],
            "subject": {"commonName": "ТЕСТОВ ТЕСТ", "surName": "ТЕСТОВ", "iin": entry.iin, "country": "KZ"},
            "issuer": {"commonName": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022", "country": "KZ"},
        }

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        self.requests.append((path, body))
        if self.fail_with:
            return self.fail_with, {"status": self.fail_with, "message": "Internal server error"}
        if path == "/xml/verify":
            match = re.search(r"<(?:\w+:)?SignatureValue>([^<]*)</", body.get("xml", ""))
            entry = self.signatures.get(match.group(1).strip()) if match else None
            if entry is None:
                return 400, {"status": 400, "message": "Signature not found"}
            return 200, {"status": 200, "message": "OK", "valid": entry.valid, "signers": [self.certificate(entry)]}
        if path == "/cms/verify":
            entry = self.signatures.get(body.get("cms", ""))
            if entry is None:
                return 400, {"status": 400, "message": "Invalid CMS"}
            data = base64.b64decode(body.get("data") or "")
            valid = entry.valid and (entry.data is None or entry.data == data)
            signer = {"certificates": [self.certificate(entry)], "adesLevel": "B", "status": "TOTAL_PASSED"}
            return 200, {"status": 200, "message": "OK", "valid": valid, "signers": [signer]}
        return 404, {"status": 404, "message": "Not found"}


def start(stub: NcaNodeStub) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                status, answer = 400, {"status": 400, "message": "Bad JSON"}
            else:
                status, answer = stub.answer(self.path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def signed_xml(xml: str, *, signature_value: str) -> str:
    """`xml` with an enveloped XMLDSig element as NCALayer adds it (the values are the stub's tokens)."""
    signature = (
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311"/>'
        '<ds:Reference URI=""><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>'
        f"<ds:SignatureValue>{signature_value}</ds:SignatureValue>"
        "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        "</ds:Signature>"
    )
    closing = xml.rindex("</")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>{xml[:closing]}{signature}{xml[closing:]}'
