"""Every upload is scanned by ClamAV's clamd; with the scanner unreachable the file is refused
(fail closed), never passed unscanned."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from osms.core.uploads import ScannerUnavailable, UploadRejected, antivirus_scan, upload_check
from tests.clamd import EICAR
from tests.files import image_bytes, pdf_bytes

ROOT = Path(__file__).resolve().parents[3]


def code_of(content: bytes, name: str = "certificate.pdf") -> str:
    with pytest.raises(UploadRejected) as caught:
        upload_check(SimpleUploadedFile(name, content))
    return caught.value.code


def test_a_clean_document_passes_the_scan(clamd_url):
    assert upload_check(SimpleUploadedFile("certificate.pdf", pdf_bytes())).content_type == "application/pdf"
    antivirus_scan(b"just some words")


def test_a_pdf_carrying_the_eicar_test_virus_is_refused(clamd_url):
    infected = pdf_bytes().replace(b"%PDF-1.3\n", b"%PDF-1.3\n%" + EICAR + b"\n", 1)
    assert code_of(infected) == "infected"


def test_an_image_carrying_the_eicar_test_virus_is_refused_before_it_is_re_encoded(clamd_url):
    assert code_of(image_bytes("PNG") + EICAR, name="scan.png") == "infected"


def test_the_virus_message_is_in_the_citizens_language(clamd_url):
    with pytest.raises(UploadRejected) as caught:
        antivirus_scan(EICAR)
    with translation.override("kk"):
        kazakh = str(caught.value.messages[0])
    assert kazakh and "virus" not in kazakh


@pytest.mark.parametrize("url", ["unix:///nonexistent/clamd.ctl", "tcp://127.0.0.1:9"])
def test_the_scanner_down_fails_closed(settings, url):
    settings.CLAMAV_URL = url
    settings.CLAMAV_REQUIRED = True
    with pytest.raises(ScannerUnavailable) as caught:
        upload_check(SimpleUploadedFile("certificate.pdf", pdf_bytes()))
    assert caught.value.code == "scan_unavailable"


def test_without_a_scanner_address_uploads_are_refused_when_scanning_is_required(settings):
    settings.CLAMAV_URL = ""
    settings.CLAMAV_REQUIRED = True
    assert code_of(pdf_bytes()) == "scan_unavailable"


def test_production_settings_refuse_to_start_without_clamd():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 64,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CLAMAV_URL": "",
        "CLAMAV_REQUIRED": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings.prod"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "CLAMAV_URL must be set in production" in result.stderr
    env["CLAMAV_URL"] = "tcp://clamav:3310"
    check = "import portal.settings.prod as s; assert s.CLAMAV_REQUIRED is True"
    assert subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env).returncode == 0
