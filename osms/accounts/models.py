"""Users keyed by IIN (citizens and staff alike), their one-time codes, and the staff roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.core.iin import validate_iin

from .phones import validate_phone


class Role(models.TextChoices):
    """Roles are groups with permissions (osms/accounts/roles.py); the name is the group's name."""

    CITIZEN = "citizen", _("Citizen")  # uses the cabinet
    CLINIC_REGISTRAR = "clinic_registrar", _("Clinic registrar")  # answers one clinic's attachment applications
    FUND_OFFICER = "fund_officer", _("Fund officer")  # reviews requests, imports registers, watches deadlines
    CALL_CENTRE_OPERATOR = "call_centre_operator", _("Call-centre operator")  # registers appeals for callers
    ADMINISTRATOR = "administrator", _("Administrator")  # manages users and reads the audit trail


class IdentityProof(models.TextChoices):
    SMS = "sms", _("a code to the persons register's number")
    EDS = "eds", _("an electronic signature (EDS)")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, iin: str, password: str | None = None, **fields) -> User:
        user = self.model(iin=iin, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, iin: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(iin, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=12, blank=True, validators=[validate_phone])
    phone_verified_at = models.DateTimeField(_("phone verified"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="ru")
    # A clinic registrar works for exactly one clinic and sees only its applications.
    clinic = models.ForeignKey(
        "clinics.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrars",
        verbose_name=_("clinic (registrars)"),
    )
    # Identity proof (DOMAIN §14, docs/adr/0008-identity-proof.md): how and when the person last proved
    # to be the IIN's owner; an account that must prove it again sees no personal data until it does.
    identity_proof = models.CharField(_("identity proved by"), max_length=8, choices=IdentityProof.choices, blank=True)
    identity_proven_at = models.DateTimeField(_("identity proved"), null=True, blank=True)
    identity_proof_required = models.BooleanField(
        _("must prove identity again"),
        default=False,
        help_text=_("Set when the account's phone is not the persons register's number for its IIN."),
    )
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("May sign in to the back office."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("registered"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "iin"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.get_full_name()} ({self.iin})"

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def get_short_name(self) -> str:
        return self.first_name

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS: stored as an HMAC, single-use, expiring, with limited tries."""

    class Purpose(models.TextChoices):
        PHONE_VERIFICATION = "phone", _("Phone verification")  # at registration
        PASSWORD_RESET = "reset", _("Password reset")  # forgotten password
        CONFIRMATION = "confirm", _("Confirmation of a request")  # signs a statement or application
        REPROOF = "reprove", _("Proof of identity")  # an existing account proves its owner again

    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    phone = models.CharField(max_length=12)
    # What the code confirms, e.g. "statement:42": a code for one request cannot sign another.
    subject = models.CharField(max_length=100, blank=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "subject", "created_at"], name="otp_lookup")]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%d.%m.%Y %H:%M}"


class EdsChallenge(models.Model):
    """A random text the browser signs with the EDS (NCALayer) to prove who is there.

    Single-use, short-lived, bound to one session (by a hash of its key), one purpose and — except at
    sign-in, where the certificate names the person — one IIN.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Sign-in")
        RESET = "reset", _("Password reset")
        REPROVE = "reprove", _("Proof of identity")

    token = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    session_hash = models.CharField(max_length=64)
    iin = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("EDS challenge")
        verbose_name_plural = _("EDS challenges")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def content(self) -> str:
        """Exactly what is signed (the signed bytes are its UTF-8)."""
        return f"OSMS portal {self.purpose} {self.iin or '-'} {self.token}"
