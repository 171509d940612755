"""Text that must not be readable at rest or in transit through the broker (an SMS carrying a code).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived from SECRET_KEY: a
database dump or the broker's data alone does not reveal a code; the text is wiped once sent.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings

_PURPOSE = b"osms.core.sealing.v1"


def _fernet() -> Fernet:
    key = hashlib.sha256(_PURPOSE + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
