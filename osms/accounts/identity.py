"""Proving that whoever is there owns the IIN (DOMAIN §14, docs/adr/0008-identity-proof.md).

Two proofs: a one-time code sent only to the number the persons register (the mobile citizens'
base) holds for the IIN, or an electronic signature (ЭЦП) made with NCALayer over a server-issued
challenge and verified by NCANode. This module holds the register's number, its masked form and
the EDS challenge; the services that use them are in services.py.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import secrets

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osms.core.eds import EdsRejected, ncanode_client, ncanode_enabled

from .models import EdsChallenge

MAX_CMS_BYTES = 64 * 1024  # a CMS over a short challenge with its chain is a few kilobytes


def register_phone(iin: str) -> str:
    """The number the persons register holds for the IIN ('' when none or the IIN is not there)."""
    from osms.coverage.models import Person

    return Person.objects.filter(iin=iin).values_list("phone", flat=True).first() or ""


def mask_phone(phone: str) -> str:
    """+77011234567 -> '+7 7•• ••• •• 67' (the operator's first digit and the last two)."""
    if len(phone) != 12:
        return "+7 ••• ••• •• ••"
    return f"+7 {phone[2]}•• ••• •• {phone[-2:]}"


def masked_register_phone(iin: str) -> str:
    """What the pages show as 'the code went to': the register's number masked, or — for an IIN with
    no number there — a made-up masked number that is always the same for that IIN, so the answer
    reads the same whether or not the register (or an account) knows the IIN."""
    phone = register_phone(iin)
    if phone:
        return mask_phone(phone)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"decoy-phone:{iin}".encode(), hashlib.sha256).digest()
    return f"+7 7•• ••• •• {digest[0] % 100:02d}"


def eds_claimed_iin(cms: str) -> str:
    """The IIN a signer's certificate in the CMS names (subject SERIALNUMBER=IIN..., as НУЦ РК issues
    them), read without checking anything ('' when none). Only what a refused EDS is counted against
    in the sign-in lockout, as the IIN typed with a wrong password is: never a proof of anything."""
    try:
        if not cms or len(cms) > MAX_CMS_BYTES:
            return ""
        certificates = pkcs7.load_der_pkcs7_certificates(base64.b64decode(cms, validate=True))
    except (binascii.Error, ValueError):
        return ""
    for certificate in certificates:
        for attribute in certificate.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER):
            value = str(attribute.value)
            if value.startswith("IIN") and len(value) == 15 and value[3:].isdigit():
                return value[3:]
    return ""


def _session_hash(session_key: str) -> str:
    return hashlib.sha256(f"eds-challenge:{session_key}".encode()).hexdigest()


def eds_challenge_issue(*, session_key: str, purpose: str, iin: str = "") -> EdsChallenge:
    now = timezone.now()
    # Challenges are worth nothing once expired: the table keeps only the last hour's.
    EdsChallenge.objects.filter(expires_at__lt=now - dt.timedelta(hours=1)).delete()
    return EdsChallenge.objects.create(
        token=secrets.token_urlsafe(32),
        purpose=purpose,
        session_hash=_session_hash(session_key),
        iin=iin,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.EDS_CHALLENGE_TTL_SECONDS),
    )


def _take_challenge(*, session_key: str, purpose: str, token: str, iin: str) -> EdsChallenge:
    """The challenge, used up now whatever the signature turns out to be (a second try signs a new one)."""
    with transaction.atomic():
        challenge = (
            EdsChallenge.objects.select_for_update()
            .filter(token=token or "-", purpose=purpose, session_hash=_session_hash(session_key or ""))
            .first()
        )
        fresh = (
            challenge is not None
            and challenge.used_at is None
            and challenge.expires_at > timezone.now()
            and (not iin or challenge.iin == iin)
        )
        if challenge is not None and challenge.used_at is None:
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
    if not fresh:
        raise EdsRejected(_("This signing request has expired or was already used. Sign again on this page."))
    return challenge


def eds_proof_check(*, session_key: str, purpose: str, token: str, cms: str, iin: str = "") -> str:
    """Check an EDS over the challenge `token`; return the signer's IIN or raise EdsRejected.

    `iin` (registration, reset, re-proof) must be the certificate's subject IIN; at sign-in it is
    empty and the certificate names the person.
    """
    if not ncanode_enabled():
        raise EdsRejected(_("Signing in with an EDS is not available at the moment."))
    cms = (cms or "").strip()
    try:
        if not cms or len(cms) > MAX_CMS_BYTES:
            raise ValueError
        base64.b64decode(cms, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EdsRejected(_("The signature could not be read. Sign the request again.")) from exc
    challenge = _take_challenge(session_key=session_key, purpose=purpose, token=token, iin=iin)
    verification = ncanode_client().verify_cms(cms, data=challenge.content.encode("utf-8"))
    if len(verification.signers) != 1:
        raise EdsRejected(_("The signature could not be read. Sign the request again."))
    signer = verification.signers[0]
    now = timezone.now()
    if signer.revoked:
        raise EdsRejected(_("The certificate of this EDS has been revoked. Get a new EDS at eGov or a ЦОН."))
    if (signer.not_after and signer.not_after < now) or (signer.not_before and signer.not_before > now):
        raise EdsRejected(_("The certificate of this EDS has expired. Get a new EDS at eGov or a ЦОН."))
    if not signer.certificate_valid:
        raise EdsRejected(
            _("The certificate was not issued by the national certifying centre (НУЦ РК). Use your EDS from НУЦ РК.")
        )
    if not verification.valid:
        raise EdsRejected(_("The signature is not over the text this page gave. Sign again on this page."))
    if not signer.iin or (iin and signer.iin != iin):
        raise EdsRejected(_("The EDS belongs to another person (another IIN). Sign with your own EDS."))
    return signer.iin
