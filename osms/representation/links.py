"""A notification's link to a record made for a ward (docs/adr/0702-services-for-a-ward.md).

The record's page shows the subject the session acts for, so the bare link would be a 404 while the
representative sees their own data. The link goes instead through `representation:open`, which
chooses the ward (only if the signed-in person holds a right for them today, audited like the
cabinet's switch) and then redirects to the record. The ward's IIN and the target travel sealed
(osms/core/sealing.py): a link sent by email names nobody, and nobody can forge one for another page.
"""

from __future__ import annotations

import json

from cryptography.fernet import InvalidToken
from django.urls import reverse

from osms.core.sealing import seal, unseal


def ward_record_link(url: str, *, recipient, ward_iin: str, representative_iin: str) -> str:
    """The link a notification to `recipient` carries for the record at `url`: through the switch
    when the recipient is the representative who acted for the ward, the record's own otherwise.
    Call it inside the reader's language, as the record's URL is built."""
    if not url or not representative_iin or getattr(recipient, "iin", "") != representative_iin:
        return url
    if ward_iin == representative_iin:
        return url
    token = seal(json.dumps([ward_iin, url]))
    return reverse("representation:open", args=[token])


def ward_link_opened(token: str) -> tuple[str, str] | None:
    """The ward's IIN and the record's URL from a link's token; None for a forged or garbled one."""
    try:
        ward_iin, url = json.loads(unseal(token))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not isinstance(ward_iin, str) or not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        return None
    return ward_iin, url
