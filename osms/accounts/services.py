"""Every write of the accounts area: registration with an identity proof, password reset, the proof
of identity asked again of older accounts, the profile, and the phone following the persons register.

The one-time code goes only to the number the persons register holds for the IIN (DOMAIN §14);
the EDS path is checked in identity.py. Answers never depend on whether an account exists: the
callers show the same page, and SMS go through Celery on commit.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .codes import CodeError, code_issue, code_verify
from .identity import register_phone
from .models import IdentityProof, OneTimeCode, Role, User

# A registration never finished: inactive and never proved. An account an administrator switched off is
# not one: registering its IIN again must not bring it back.
_UNFINISHED = Q(is_active=False, phone_verified_at__isnull=True, identity_proven_at__isnull=True)


def _queue_sms(*, phone: str, text: str) -> None:
    """An SMS without a code (an attempt to register again, a number changed): kept sealed in the
    outbox like a code's, only its id goes through the broker; of no use after a day."""
    from osms.core.notifications import sms_code_queue

    sms_code_queue(phone=phone, text=text, expires_at=timezone.now() + dt.timedelta(days=1))


def _proven(user: User, *, proof: str, phone: str | None = None) -> list[str]:
    """Mark the identity proved now; with a code, the register's number becomes the account's."""
    user.identity_proof, user.identity_proven_at, user.identity_proof_required = proof, timezone.now(), False
    fields = ["identity_proof", "identity_proven_at", "identity_proof_required"]
    if phone is not None:
        user.phone, user.phone_verified_at = phone, timezone.now()
        fields += ["phone", "phone_verified_at"]
    return fields


def citizen_register(
    *,
    iin: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    birth_date,
    email: str,
    password: str,
    language: str,
) -> None:
    """Start a registration: an inactive account, and a code to the register's number if it has one.

    An unfinished registration of the same IIN is replaced (whoever started it never got the code
    unless they hold the register's number). For an IIN that already has an account nothing is
    created: the register's number is told, so its owner knows. The work (a password hash, the
    same queries) is the same either way, and nothing is sent in the request.
    """
    phone = register_phone(iin)
    with transaction.atomic():
        if User.objects.filter(iin=iin).exclude(_UNFINISHED).exists():
            make_password(password)  # the same cost as a registration: the answer's time tells nothing
            if phone:
                with translation.override(language):
                    text = _(
                        "OSMS portal: someone started a registration with your IIN, but you already have an "
                        "account. Sign in, or restore access with a code. If it was not you, do nothing."
                    )
                _queue_sms(phone=phone, text=text)
            return
        user = User.objects.select_for_update().filter(_UNFINISHED, iin=iin).first() or User(iin=iin)
        user.is_active = False
        user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
        user.birth_date, user.phone, user.email, user.language = birth_date, phone, email, language
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
        if phone:
            code_issue(user=user, purpose=OneTimeCode.Purpose.PHONE_VERIFICATION, phone=phone)


def pending_registration(iin: str | None) -> User | None:
    return User.objects.filter(_UNFINISHED, iin=iin or "-").first()


def registration_code_resend(*, iin: str) -> None:
    user = pending_registration(iin)
    phone = register_phone(iin) if user else ""
    if user and phone:
        code_issue(user=user, purpose=OneTimeCode.Purpose.PHONE_VERIFICATION, phone=phone)


def citizen_phone_verify(*, user: User, code: str) -> User:
    """Accept the registration code: the identity is proved and the account becomes active."""
    # Not inside a transaction of ours: a wrong code's counted try must survive the CodeError.
    otc = code_verify(user=user, purpose=OneTimeCode.Purpose.PHONE_VERIFICATION, code=code)
    fields = _proven(user, proof=IdentityProof.SMS, phone=otc.phone)
    user.is_active = True
    user.save(update_fields=[*fields, "is_active"])
    return user


def citizen_register_by_eds(*, user: User) -> User:
    """The pending registration's IIN was proved by an EDS (identity.eds_proof_check)."""
    phone = register_phone(user.iin)
    fields = _proven(user, proof=IdentityProof.EDS, phone=phone if phone else None)
    user.is_active = True
    user.save(update_fields=[*fields, "is_active"])
    return user


def password_reset_start(*, iin: str) -> None:
    """Send a reset code to the register's number of an active account; nothing otherwise (the page
    reads the same either way)."""
    user = User.objects.filter(iin=iin, is_active=True).first()
    phone = register_phone(iin)
    if user is not None and phone:
        code_issue(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, phone=phone)


def password_reset_finish(*, user: User | None, code: str, password: str) -> User:
    if user is None:
        raise CodeError(_("The code is wrong. Check the SMS and try again."))
    otc = code_verify(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    fields = _proven(user, proof=IdentityProof.SMS, phone=otc.phone)
    user.set_password(password)
    user.save(update_fields=[*fields, "password"])
    return user


def password_reset_by_eds(*, user: User, password: str) -> User:
    fields = _proven(user, proof=IdentityProof.EDS)
    user.set_password(password)
    user.save(update_fields=[*fields, "password"])
    return user


def identity_code_send(*, user: User) -> bool:
    """A code to the register's number, for an account that must prove identity again."""
    phone = register_phone(user.iin)
    if not phone:
        return False
    code_issue(user=user, purpose=OneTimeCode.Purpose.REPROOF, phone=phone)
    return True


def identity_prove_by_code(*, user: User, code: str) -> User:
    otc = code_verify(user=user, purpose=OneTimeCode.Purpose.REPROOF, code=code)
    user.save(update_fields=_proven(user, proof=IdentityProof.SMS, phone=otc.phone))
    return user


def identity_prove_by_eds(*, user: User) -> User:
    user.save(update_fields=_proven(user, proof=IdentityProof.EDS))
    return user


def profile_update(*, user: User, email: str, language: str) -> User:
    user.email, user.language = email, language
    user.save(update_fields=["email", "language"])
    return user


def account_phones_follow_register(*, numbers: dict[str, str]) -> int:
    """The persons register changed these IINs' numbers: each account's phone becomes the register's,
    and both the old and the new number are told (SMS queued on commit). A citizen whose number the
    register dropped must prove identity again (by EDS, or a code once a number is back)."""
    from osms.core.notifications import notification_create

    changed = 0
    for user in User.objects.filter(iin__in=list(numbers), is_active=True):
        new = numbers[user.iin]
        if user.phone == new:
            continue
        old = user.phone
        user.phone, user.phone_verified_at = new, (timezone.now() if new else None)
        fields = ["phone", "phone_verified_at"]
        if not new and not user.is_staff:
            user.identity_proof_required = True
            fields.append("identity_proof_required")
        with transaction.atomic():
            user.save(update_fields=fields)
            with translation.override(user.language):
                notification_create(
                    user=user,
                    subject=_("Your phone number on the portal has changed"),
                    body=_(
                        "The mobile citizens' base now holds a new number for you, and the portal uses it "
                        "from now on. If you did not change it, contact eGov or a ЦОН."
                    ),
                )
                if old:  # the old number is told too (a text of the notification machinery's SMS task)
                    _queue_sms(
                        phone=old,
                        text=_(
                            "OSMS portal: your account now uses another number, the one the mobile citizens' "
                            "base holds for you. If you did not change it, contact eGov or a ЦОН."
                        ),
                    )
        changed += 1
    return changed
