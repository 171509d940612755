from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from .roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "osms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
        # Roles follow ROLE_PERMISSIONS after every migrate, when all permissions exist.
        post_migrate.connect(_sync_roles, dispatch_uid="osms.accounts.sync_roles")
