"""The one domain error: an action the rules do not allow now, with a message for the user.

Services raise it (or a subclass naming the area, e.g. `AttachmentError`); views turn it into a form
error or a message, the admin into a message. `str(error)` is the message, already translated in the
language active when it was raised (a lazy message is translated when shown).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """The step cannot be taken; the message says why, in the user's language."""

    default_message: str | Promise = _("This cannot be done now.")
    # Messages by code, for errors raised with a code only (`MoveRefused(code="window")`).
    messages: dict[str, str | Promise] = {}

    def __init__(self, message: str | Promise | None = None, *, code: str = ""):
        if message is None:
            message = self.messages.get(code, self.default_message)
        self.message = message
        self.code = code
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(DomainError):
    """The actor may not take this step (a rule about who, not about the record's status)."""

    default_message = _("You may not do this.")
