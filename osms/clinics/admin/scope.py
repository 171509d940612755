"""Who sees which clinic's records in the back office: a registrar only their own clinic's."""

from __future__ import annotations

from osms.accounts.models import Role

ALL = "all"


def clinic_scope(request) -> int | str | None:
    """ALL for staff who see every clinic (fund officers, administrators), the clinic id for a
    registrar, None for a registrar bound to no clinic (who then sees nothing). Cached per request."""
    cached = getattr(request, "_clinic_scope", False)
    if cached is not False:
        return cached
    user = request.user
    registrar = not user.is_superuser and user.groups.filter(name=Role.CLINIC_REGISTRAR).exists()
    scope = user.clinic_id if registrar else ALL
    request._clinic_scope = scope
    return scope


def scoped(request, queryset, *, field: str = "clinic_id"):
    scope = clinic_scope(request)
    if scope == ALL:
        return queryset
    if scope is None:
        return queryset.none()
    return queryset.filter(**{field: scope})


def in_scope(request, clinic_id: int) -> bool:
    scope = clinic_scope(request)
    return scope == ALL or (scope is not None and scope == clinic_id)
