"""The NCANode client: how the portal asks an NCANode 3.x server (its documented HTTP API:
POST /xml/verify, POST /cms/verify) whether an electronic signature (ЭЦП) made with NCALayer is
valid — the signature, the certificate chain to НУЦ РК, the validity dates, revocation by OCSP or
CRL — and whose it is (the subject IIN of the signer's certificate).

Used by the statement confirmation (osms/statements/signing.py) and by the identity proof
(osms/accounts/identity.py). Settings: NCANODE_URL (empty: EDS is not offered), NCANODE_TIMEOUT
(seconds), NCANODE_REVOCATION_CHECK (default ["OCSP"]). Production talks to a real NCANode; the
stand-in in osms/core/testing/ is for development and tests only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # nosec B405 # parsing is guarded where it happens (see fromstring below)

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger("osms.core.eds")


class EdsRejected(Exception):
    """The signature was not accepted; the message says why, in the user's language."""


class EdsServiceUnavailable(EdsRejected):
    """NCANode did not answer, or answered with an error: nothing is known about the signature."""


@dataclass(frozen=True)
class Signer:
    iin: str
    certificate_valid: bool
    key_usage: str
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    revoked: bool = False


@dataclass(frozen=True)
class Verification:
    valid: bool
    signers: tuple[Signer, ...]


def _when(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _signer(certificate: dict) -> Signer:
    subject = certificate.get("subject") or {}
    revocations = certificate.get("revocations") or []
    return Signer(
        iin=str(subject.get("iin") or ""),
        certificate_valid=bool(certificate.get("valid")),
        key_usage=str(certificate.get("keyUsage") or ""),
        not_before=_when(certificate.get("notBefore")),
        not_after=_when(certificate.get("notAfter")),
        revoked=any(isinstance(r, dict) and r.get("revoked") for r in revocations),
    )


def _unavailable() -> str:
    return _("The signature check service does not answer. Try again in a few minutes or confirm with an SMS code.")


class NcaNodeClient:
    """The two calls of NCANode 3.x the portal needs."""

    def __init__(self, *, url: str, timeout: float = 10.0, revocation_check: list[str] | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.revocation_check = list(revocation_check if revocation_check is not None else ["OCSP"])

    def _post(self, path: str, payload: dict) -> dict:
        import httpx

        try:
            response = httpx.post(f"{self.url}{path}", json=payload, timeout=self.timeout)
        except httpx.HTTPError as exc:
            logger.warning("NCANode %s failed: %s", path, exc)
            raise EdsServiceUnavailable(_unavailable()) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 500 or not isinstance(body, dict):
            logger.warning("NCANode %s answered %s", path, response.status_code)
            raise EdsServiceUnavailable(_unavailable())
        if response.status_code >= 400 or body.get("status", 200) >= 400:
            # NCANode answers 400 when it cannot read the signature at all.
            logger.info("NCANode %s refused the input: %s", path, body.get("message"))
            raise EdsRejected(_("The signature could not be read. Sign the request again."))
        return body

    def verify_xml(self, xml: str) -> Verification:
        body = self._post("/xml/verify", {"xml": xml, "revocationCheck": self.revocation_check})
        signers = tuple(_signer(certificate) for certificate in body.get("signers") or [])
        return Verification(valid=bool(body.get("valid")), signers=signers)

    def verify_cms(self, cms: str, *, data: bytes) -> Verification:
        """A detached CMS over `data` (NCANode checks the signature against the bytes we give it)."""
        body = self._post(
            "/cms/verify",
            {"cms": cms, "data": base64.b64encode(data).decode("ascii"), "revocationCheck": self.revocation_check},
        )
        signers = []
        for signer_info in body.get("signers") or []:
            # NCANode 3 lists each signer's chain under "certificates" (older builds: "signers"), the
            # signer's own certificate first.
            chain = signer_info.get("certificates") or signer_info.get("signers") or []
            if chain:
                signers.append(_signer(chain[0]))
        return Verification(valid=bool(body.get("valid")), signers=tuple(signers))


def ncanode_enabled() -> bool:
    return bool(getattr(settings, "NCANODE_URL", ""))


def ncanode_client() -> NcaNodeClient:
    return NcaNodeClient(
        url=settings.NCANODE_URL,
        timeout=float(getattr(settings, "NCANODE_TIMEOUT", 10.0)),
        revocation_check=getattr(settings, "NCANODE_REVOCATION_CHECK", ["OCSP"]),
    )


# --- A document the citizen signs: the checks every service makes ---------------------------------------------------
MAX_PROOF_BYTES = 256 * 1024  # a signed request is a few kilobytes; refuse anything absurd
_DSIG_NS = "{http://www.w3.org/2000/09/xmldsig#}"
_DSIG = f"{_DSIG_NS}Signature"


def _strip_signatures(element: ET.Element) -> None:
    for child in list(element):
        if child.tag == _DSIG:
            element.remove(child)
        else:
            _strip_signatures(child)


def _canonical(xml: str | bytes) -> str:
    return ET.canonicalize(xml_data=xml if isinstance(xml, str) else xml.decode("utf-8"), strip_text=True)


def _enveloped_over_the_whole(root: ET.Element) -> None:
    """One enveloped signature, a direct child of the document, whose one reference is the whole
    document (`URI=""`), as NCALayer's signXml makes it. Anything else could be a valid signature
    over other content wrapped beside the document (signature wrapping), so it is refused."""
    signatures = list(root.iter(_DSIG))
    references = [] if len(signatures) != 1 else signatures[0].findall(f"{_DSIG_NS}SignedInfo/{_DSIG_NS}Reference")
    if (
        len(signatures) != 1
        or signatures[0] not in list(root)
        or len(references) != 1
        or references[0].get("URI") != ""
    ):
        raise EdsRejected(_("The signed document is not this request. Sign the request shown on this page."))


def _same_content(*, signed_xml: str, expected: str) -> None:
    """The signed XML, without its signature, must be exactly the document we asked to be signed."""
    try:
        root = ET.fromstring(signed_xml)  # noqa: S314 (expat refuses external entities; size is capped)  # nosec B314 # expat resolves no external entities and limits entity expansion; the size is capped
    except ET.ParseError as exc:
        raise EdsRejected(_("The signature could not be read. Sign the request again.")) from exc
    _enveloped_over_the_whole(root)
    _strip_signatures(root)
    if _canonical(ET.tostring(root, encoding="unicode")) != _canonical(expected):
        raise EdsRejected(_("The signed document is not this request. Sign the request shown on this page."))


def signed_by(*, client: NcaNodeClient, expected: str, iin: str, proof: str) -> str:
    """Check an EDS over the document `expected` (the XML the page showed): an enveloped XML signature
    of it, or a detached CMS over its UTF-8 bytes, valid for NCANode, made by one signer with a signing
    key whose certificate names `iin`. Returns the signer's IIN; raises EdsRejected saying why not."""
    proof = (proof or "").strip()
    if not proof:
        raise EdsRejected(_("Sign the request with your EDS first."))
    if len(proof.encode("utf-8")) > MAX_PROOF_BYTES:
        raise EdsRejected(_("The signature could not be read. Sign the request again."))
    if proof.startswith("<"):
        _same_content(signed_xml=proof, expected=expected)
        verification = client.verify_xml(proof)
    else:
        try:
            base64.b64decode(proof, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdsRejected(_("The signature could not be read. Sign the request again.")) from exc
        verification = client.verify_cms(proof, data=expected.encode("utf-8"))
    if not verification.valid or not verification.signers:
        raise EdsRejected(
            _("The signature is not valid: the certificate may be expired or revoked, or the request was changed.")
        )
    if len(verification.signers) != 1:
        raise EdsRejected(_("The request must be signed by you alone."))
    signer = verification.signers[0]
    if signer.key_usage and signer.key_usage != "SIGN":
        raise EdsRejected(_("Sign with your signing key (RSA or GOST for signing), not the key for signing in."))
    if signer.iin != iin:
        raise EdsRejected(_("The signature belongs to another person. Sign with your own EDS."))
    return signer.iin
