"""Every write of the accounts area: registration, phone verification, password reset, profile."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .codes import code_issue, code_verify
from .models import OneTimeCode, Role, User


def citizen_register(
    *,
    iin: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    birth_date,
    phone: str,
    email: str,
    password: str,
    language: str,
) -> User:
    """Create the citizen's account, inactive until the phone is verified, and send the code.

    An unfinished registration of the same IIN (phone never verified) is replaced: the person may
    have mistyped the phone the first time.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(iin=iin, is_active=False, phone_verified_at__isnull=True).first()
        if user is None:
            user = User(iin=iin, is_active=False)
        user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
        user.birth_date, user.phone, user.email, user.language = birth_date, phone, email, language
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
        code_issue(user=user, purpose=OneTimeCode.Purpose.PHONE_VERIFICATION)
    return user


def citizen_phone_verify(*, user: User, code: str) -> User:
    """Accept the registration code: the phone is verified and the account becomes active."""
    # Not inside a transaction of ours: a wrong code's counted try must survive the CodeError.
    code_verify(user=user, purpose=OneTimeCode.Purpose.PHONE_VERIFICATION, code=code)
    user.phone_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["phone_verified_at", "is_active"])
    return user


def password_reset_start(*, iin: str) -> User | None:
    """Send a reset code to the registered phone of an active account; None (and nothing sent) otherwise."""
    user = User.objects.filter(iin=iin, is_active=True, phone_verified_at__isnull=False).first()
    if user is None:
        return None
    code_issue(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET)
    return user


def password_reset_finish(*, user: User, code: str, password: str) -> User:
    code_verify(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def profile_update(*, user: User, email: str, language: str) -> User:
    user.email, user.language = email, language
    user.save(update_fields=["email", "language"])
    return user
