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

import logging
from xml.etree import ElementTree as ET  # nosec B405 # builds the XML to sign; parses nothing

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.codes import CodeError, code_issue, code_verify
from osms.accounts.models import OneTimeCode
from osms.core.eds import (  # noqa: F401 (re-exported: the client and the checks live in osms.core.eds)
    MAX_PROOF_BYTES,
    NcaNodeClient,
    Signer,
    Verification,
    ncanode_client,
    ncanode_enabled,
    signed_by,
)
from osms.core.eds import EdsRejected as SignatureRejected
from osms.core.eds import EdsServiceUnavailable as SignatureServiceUnavailable  # noqa: F401

logger = logging.getLogger("osms.statements.signing")


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
        # A representative signs a ward's request with their own EDS (docs/adr/0701-representation.md).
        return signed_by(
            client=self.client,
            expected=self.data_to_sign(request),
            iin=request.representative_iin or request.iin,
            proof=proof,
        )


# --- Which methods are on --------------------------------------------------------------------------------------------
def methods() -> dict[str, SmsCodeSignature | NcaNodeSignature]:
    """The confirmation methods offered, the SMS code first (the default)."""
    offered: dict[str, SmsCodeSignature | NcaNodeSignature] = {"sms": SmsCodeSignature()}
    if ncanode_enabled():
        offered["ncanode"] = NcaNodeSignature(ncanode_client())
    return offered


def method(code: str) -> SmsCodeSignature | NcaNodeSignature:
    try:
        return methods()[code]
    except KeyError as exc:
        raise SignatureRejected(_("This way of confirming a request is not available.")) from exc
