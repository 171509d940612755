"""Documents: the applicant's drafts (stored at once, attached at registration) and the Fund's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import User
from osms.core.uploads import CheckedUpload, private_storage, upload_store

from .. import rules
from ..models import AppealFile
from .common import now_or_current

DRAFT_FILE_LIFETIME = dt.timedelta(hours=24)


def appeal_draft_file_add(*, actor: User, checked: CheckedUpload, now: dt.datetime | None = None) -> AppealFile:
    """Keep a checked document until the appeal it belongs to is registered (at most MAX_FILES)."""
    now = now_or_current(now)
    with transaction.atomic():
        drafts = AppealFile.objects.select_for_update().filter(uploaded_by=actor, appeal=None, answer=None)
        if drafts.count() >= rules.MAX_FILES:
            raise ValidationError(
                _("You can attach at most %(count)d documents."), code="too_many", params={"count": rules.MAX_FILES}
            )
        return file_create(checked, actor=actor, now=now, folder="appeals/drafts")


def file_create(checked: CheckedUpload, *, actor: User, now: dt.datetime, folder: str, **links) -> AppealFile:
    name = upload_store(checked, folder=folder)
    return AppealFile.objects.create(
        file=name,
        name=checked.name[:120],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        created_at=now,
        **links,
    )


def draft_files(*, actor: User) -> list[AppealFile]:
    return list(AppealFile.objects.filter(uploaded_by=actor, appeal=None, answer=None).order_by("created_at", "id"))


def files_delete(files: Iterable[AppealFile]) -> int:
    names = []
    count = 0
    for item in files:
        names.append(item.file.name)
        item.delete()
        count += 1

    def remove() -> None:
        for name in names:
            private_storage.delete(name)

    transaction.on_commit(remove)
    return count


def appeal_draft_file_remove(*, actor: User, file_id: int) -> bool:
    with transaction.atomic():
        found = AppealFile.objects.filter(pk=file_id, uploaded_by=actor, appeal=None, answer=None)
        return files_delete(found) > 0


def appeal_draft_files_discard(*, actor: User, keep: Iterable[int] = ()) -> int:
    """Delete the actor's drafts except `keep` (those of the appeal being filed now)."""
    with transaction.atomic():
        drafts = AppealFile.objects.filter(uploaded_by=actor, appeal=None, answer=None).exclude(pk__in=list(keep))
        return files_delete(drafts)
