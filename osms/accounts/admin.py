"""Back office for users: staff accounts and roles; every opening of a citizen's record is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin

from .models import Role, User


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["iin", "last_name", "first_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups") or []
        if any(group.name == Role.CLINIC_REGISTRAR for group in groups) and not cleaned.get("clinic"):
            self.add_error("clinic", _("A clinic registrar must be bound to a clinic."))
        return cleaned


@admin.register(User)
class UserAdmin(AuditedReadMixin, DjangoUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    ordering = ["last_name", "first_name"]
    list_display = ["iin", "last_name", "first_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "identity_proof_required", "groups"]
    search_fields = ["=iin", "last_name"]
    # The phone is the persons register's (DOMAIN §14): staff do not type it; the register import changes it.
    readonly_fields = [
        "last_login",
        "date_joined",
        "phone",
        "phone_verified_at",
        "identity_proof",
        "identity_proven_at",
    ]
    fieldsets = [
        (None, {"fields": ["iin", "password"]}),
        (
            _("Person"),
            {
                "fields": [
                    "last_name",
                    "first_name",
                    "patronymic",
                    "birth_date",
                    "phone",
                    "phone_verified_at",
                    "identity_proof",
                    "identity_proven_at",
                    "identity_proof_required",
                    "email",
                    "language",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "clinic"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["iin", "last_name", "first_name", "password1", "password2", "is_staff", "groups"],
            },
        ),
    ]
    filter_horizontal = ["groups"]
