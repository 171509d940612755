"""How a citizen confirms a statement request (docs/domain.md §8: "signed with EDS or confirmed by a one-time
password sent to the phone registered to the account").

Two implementations of one small interface:

* `SmsCodeSignature` (the default): a one-time code sent to the account's phone, bound to the
  request by its subject "statement:<id>", so a code for one request cannot confirm another.
* `NcaNodeSignature`: the citizen signs the request's XML (or its bytes, as a detached CMS) with
  NCALayer in the browser; the portal asks an NCANode 3.x server (its documented HTTP API:
  POST /xml/verify, POST /cms/verify) whether the signature is valid, checks that what was signed
  is this request, and takes the signer's IIN from the certificate: it must be the citizen's.

Settings: NCANODE_URL (empty: EDS is not offered), NCANODE_TIMEOUT (seconds, default 10),
NCANODE_REVOCATION_CHECK (default ["OCSP"]). docs/adr/0203-statement-signature.md.
"""

from __future__ import annotations

import base64
import binascii
import logging
from xml.etree import ElementTree as ET  # nosec B405 # parsing is guarded where it happens (see fromstring below)

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.codes import CodeError, code_issue, code_verify
from osms.accounts.models import OneTimeCode
from osms.core.eds import EdsRejected as SignatureRejected
from osms.core.eds import EdsServiceUnavailable as SignatureServiceUnavailable  # noqa: F401
from osms.core.eds import NcaNodeClient, Signer, Verification  # noqa: F401 (the client lives in osms.core.eds)

logger = logging.getLogger("osms.statements.signing")

MAX_PROOF_BYTES = 256 * 1024  # a signed request is a few kilobytes; refuse anything absurd
_DSIG = "{http://www.w3.org/2000/09/xmldsig#}Signature"


def code_subject(request) -> str:
    return f"statement:{request.pk}"


class SmsCodeSignature:
    """A 6-digit code by SMS to the phone registered to the account."""

    code = "sms"
    label = gettext_lazy("A code by SMS")

    def begin(self, *, request) -> None:
        code_issue(user=request.user, purpose=OneTimeCode.Purpose.CONFIRMATION, subject=code_subject(request))

    def confirm(self, *, request, proof: str) -> str:
        try:
            code_verify(
                user=request.user, purpose=OneTimeCode.Purpose.CONFIRMATION, code=proof, subject=code_subject(request)
            )
        except CodeError as exc:
            raise SignatureRejected(str(exc)) from exc
        return request.user.iin


def _strip_signatures(element: ET.Element) -> None:
    for child in list(element):
        if child.tag == _DSIG:
            element.remove(child)
        else:
            _strip_signatures(child)


def _canonical(xml: str | bytes) -> str:
    return ET.canonicalize(xml_data=xml if isinstance(xml, str) else xml.decode("utf-8"), strip_text=True)


class NcaNodeSignature:
    """An EDS made with NCALayer, checked by NCANode: an enveloped XML signature of the request's XML,
    or a detached CMS over its UTF-8 bytes."""

    code = "ncanode"
    label = gettext_lazy("Electronic digital signature (EDS) with NCALayer")

    def __init__(self, client: NcaNodeClient) -> None:
        self.client = client

    @staticmethod
    def data_to_sign(request) -> str:
        """The request as XML: what the citizen signs. Its number makes a signature fit this request only."""
        root = ET.Element("statementRequest")
        for tag, value in (
            ("service", "ҚР ДСМ-26/2020"),
            ("number", request.number),
            ("iin", request.iin),
            ("periodFrom", f"{request.period_from % 100:02d}{request.period_from // 100:04d}"),
            ("periodTo", f"{request.period_to % 100:02d}{request.period_to // 100:04d}"),
            ("language", request.language),
            ("consent", "true" if request.consent else "false"),
            ("created", request.created_at.isoformat(timespec="seconds")),
        ):
            ET.SubElement(root, tag).text = value
        return ET.tostring(root, encoding="unicode")

    def begin(self, *, request) -> None:
        """Nothing to send: the browser signs `data_to_sign` with NCALayer."""

    def confirm(self, *, request, proof: str) -> str:
        proof = (proof or "").strip()
        if not proof:
            raise SignatureRejected(_("Sign the request with your EDS first."))
        if len(proof.encode("utf-8")) > MAX_PROOF_BYTES:
            raise SignatureRejected(_("The signature could not be read. Sign the request again."))
        expected = self.data_to_sign(request)
        if proof.startswith("<"):
            self._same_content(signed_xml=proof, expected=expected)
            verification = self.client.verify_xml(proof)
        else:
            try:
                base64.b64decode(proof, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise SignatureRejected(_("The signature could not be read. Sign the request again.")) from exc
            verification = self.client.verify_cms(proof, data=expected.encode("utf-8"))
        if not verification.valid or not verification.signers:
            raise SignatureRejected(
                _("The signature is not valid: the certificate may be expired or revoked, or the request was changed.")
            )
        if len(verification.signers) != 1:
            raise SignatureRejected(_("The request must be signed by you alone."))
        signer = verification.signers[0]
        if signer.key_usage and signer.key_usage != "SIGN":
            raise SignatureRejected(
                _("Sign with your signing key (RSA or GOST for signing), not the key for signing in.")
            )
        # A representative signs a ward's request with their own EDS (docs/adr/0701-representation.md).
        if signer.iin != (request.representative_iin or request.iin):
            raise SignatureRejected(_("The signature belongs to another person. Sign with your own EDS."))
        return signer.iin

    @staticmethod
    def _same_content(*, signed_xml: str, expected: str) -> None:
        """The signed XML, without its signature, must be exactly the request we asked to be signed."""
        try:
            root = ET.fromstring(signed_xml)  # noqa: S314 (expat refuses external entities; size is capped)  # nosec B314 # expat resolves no external entities and limits entity expansion; the size is capped
        except ET.ParseError as exc:
            raise SignatureRejected(_("The signature could not be read. Sign the request again.")) from exc
        _strip_signatures(root)
        if _canonical(ET.tostring(root, encoding="unicode")) != _canonical(expected):
            raise SignatureRejected(_("The signed document is not this request. Sign the request shown on this page."))


# --- Which methods are on --------------------------------------------------------------------------------------------
def ncanode_enabled() -> bool:
    return bool(getattr(settings, "NCANODE_URL", ""))


def methods() -> dict[str, SmsCodeSignature | NcaNodeSignature]:
    """The confirmation methods offered, the SMS code first (the default)."""
    offered: dict[str, SmsCodeSignature | NcaNodeSignature] = {"sms": SmsCodeSignature()}
    if ncanode_enabled():
        client = NcaNodeClient(
            url=settings.NCANODE_URL,
            timeout=float(getattr(settings, "NCANODE_TIMEOUT", 10.0)),
            revocation_check=getattr(settings, "NCANODE_REVOCATION_CHECK", ["OCSP"]),
        )
        offered["ncanode"] = NcaNodeSignature(client)
    return offered


def method(code: str) -> SmsCodeSignature | NcaNodeSignature:
    try:
        return methods()[code]
    except KeyError as exc:
        raise SignatureRejected(_("This way of confirming a request is not available.")) from exc
