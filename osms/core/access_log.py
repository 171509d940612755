"""gunicorn's access log without IINs (portal/gunicorn.conf.py sets `logger_class`).

The partner API takes the IIN in a POST body, and the portal's own pages post it too; but a link
typed by hand, an old partner integration or a referer can still put a 12-digit number in a
request line. Every string the access log can print — the request line, path, query, referer and
request headers — has each run of exactly 12 digits replaced by `************`.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_IIN = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
MASK = "*" * 12


def mask_iins(text: str) -> str:
    return _IIN.sub(MASK, text)


class IinMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_iins(value) if isinstance(value, str) else value for key, value in atoms.items()}
