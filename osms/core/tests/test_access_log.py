"""gunicorn's access log never prints an IIN (nor does the partner API carry one in its address)."""

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from osms.core.access_log import IinMaskingLogger, mask_iins

ROOT = Path(__file__).resolve().parents[3]


def test_the_production_gunicorn_uses_the_masking_logger():
    conf = runpy.run_path(str(ROOT / "portal" / "gunicorn.conf.py"))
    assert conf["logger_class"] == "osms.core.access_log.IinMaskingLogger"


def test_every_atom_of_the_access_line_is_masked():
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = IinMaskingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/status/900101300001?on=2024-01-01",
        "PATH_INFO": "/api/v1/status/900101300001",
        "QUERY_STRING": "iin=900101300001",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://bank.example/check?iin=900101300001",
        "REMOTE_ADDR": "10.0.0.2",
    }
    response = SimpleNamespace(status="410 Gone", sent=10, headers=[])
    request = SimpleNamespace(headers=[("X-IIN", "900101300001")])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=3))
    line = " ".join(str(value) for value in atoms.values())
    assert "900101300001" not in line and "/api/v1/status/************" in atoms["r"]
    assert atoms["h"] == "10.0.0.2" and atoms["s"] == "410"


def test_only_runs_of_exactly_twelve_digits_are_masked():
    assert mask_iins("a 900101300001 b") == "a ************ b"
    assert mask_iins("order 1234567890123 and 12345678901") == "order 1234567890123 and 12345678901"
