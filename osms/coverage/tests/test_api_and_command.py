"""The partners' JSON API and `manage.py osms_status`: the §13 answer, auth, limits, audit."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from osms.coverage import services
from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS
from osms.coverage.models import PartnerApiKey, StatusLookup

from .factories import EMPLOYER_BIN, iin, load, monthly_payments

pytestmark = pytest.mark.django_db

KEYS = (
    "iin",
    "on",
    "insured",
    "rule",
    "benefit_category",
    "last_covered_period",
    "covered_until_period",
    "debt_periods",
    "debt_amount",
    "prepay_amount",
    "recommendation",
)


@pytest.fixture
def api_key(make_user):
    officer = make_user(role="fund_officer")
    key, raw = services.api_key_issue(actor=officer, name="Bank")
    return key, raw


def call(client, raw: str | None, iin_value: str, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    body = json.dumps({"iin": iin_value, **params})
    return client.post("/api/v1/status", body, content_type="application/json", REMOTE_ADDR="192.0.2.7", **headers)


def test_api_returns_the_section_13_json(client, api_key):
    key, raw = api_key
    person = iin()
    load(KIND_PAYMENTS, monthly_payments(person, "012024", 3))
    response = call(client, raw, person, on="2024-11-23")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert tuple(data) == KEYS
    assert data == {
        "iin": person,
        "on": "2024-11-23",
        "insured": False,
        "rule": "none",
        "benefit_category": None,
        "last_covered_period": "032024",
        "covered_until_period": None,
        "debt_periods": ["112023", "122023", "042024", "052024", "062024", "072024", "082024", "092024", "102024"],
        "debt_amount": "36750.00",  # 2 x 3 500 (2023) + 7 x 4 250 (2024)
        "prepay_amount": "51000.00",
        "recommendation": "pay_debt",
    }
    lookup = StatusLookup.objects.get()
    assert (lookup.channel, lookup.api_key, lookup.iin, lookup.on, lookup.insured, lookup.client) == (
        "partner",
        key,
        person,
        dt.date(2024, 11, 23),
        False,
        "192.0.2.7",
    )


def test_api_x_api_key_header_and_default_date(client, api_key):
    _, raw = api_key
    person = iin()
    load(KIND_BENEFITS, [f"{person};1;01.01.2010;"])
    response = client.post("/api/v1/status", {"iin": person}, HTTP_X_API_KEY=raw)  # a form-encoded body
    data = response.json()
    assert data["insured"] is True and data["rule"] == "benefit" and data["benefit_category"] == 1
    assert data["covered_until_period"] is None


def test_api_takes_the_iin_only_in_the_body_the_old_address_is_gone(client, api_key):
    _, raw = api_key
    person = iin()
    old = client.get(f"/api/v1/status/{person}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert old.status_code == 410 and old.json()["error"] == "gone" and "POST /api/v1/status" in old.json()["detail"]
    assert client.get("/api/v1/status", {"iin": person}, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 405
    assert StatusLookup.objects.count() == 0
    broken = client.post("/api/v1/status", "[1]", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_body"


@pytest.mark.parametrize("raw", [None, "nonsense", "osms_00000000_abc"])
def test_api_refuses_calls_without_a_valid_key(client, api_key, raw):
    response = call(client, raw, iin())
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    assert StatusLookup.objects.count() == 0


def test_api_refuses_a_deactivated_or_tampered_key(client, api_key):
    key, raw = api_key
    assert call(client, raw[:-1] + ("A" if raw[-1] != "A" else "B"), iin()).status_code == 401
    services.api_key_deactivate(actor=None, key=key)
    assert call(client, raw, iin()).status_code == 401


def test_api_stores_only_a_hash_of_the_key(api_key):
    key, raw = api_key
    stored = PartnerApiKey.objects.get(pk=key.pk)
    assert raw not in (stored.key_hash, stored.prefix) and stored.key_hash == services.api_key_hash(raw)


def test_api_invalid_iin_and_date_are_errors_and_audited(client, api_key):
    _, raw = api_key
    response = call(client, raw, "123456789012")
    assert response.status_code == 400 and response.json()["error"] == "invalid_iin"
    response = call(client, raw, iin(), on="23.11.2024")
    assert response.status_code == 400 and response.json()["error"] == "invalid_date"
    assert StatusLookup.objects.filter(insured__isnull=True).count() == 2


@override_settings(RATELIMITS={"public_lookup": "30/m", "login": "20/m", "code_request": "5/h", "api_key": "3/m"})
def test_api_is_rate_limited_per_key(client, api_key, make_user):
    _, raw = api_key
    person = iin()
    for _ in range(3):
        assert call(client, raw, person).status_code == 200
    limited = call(client, raw, person)
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    _, other = services.api_key_issue(actor=None, name="Bot")
    assert call(client, other, person).status_code == 200


# --- the command ----------------------------------------------------------------------------------


def test_command_prints_exactly_the_json(capsys):
    person = iin()
    load(KIND_PAYMENTS, monthly_payments(person, "112023", 13, amount="1500.00", payer=EMPLOYER_BIN, knp="121"))
    out, err = io.StringIO(), io.StringIO()
    call_command("osms_status", person, "--on", "2024-11-23", stdout=out, stderr=err)
    assert err.getvalue() == ""
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert tuple(data) == KEYS
    assert data["insured"] is True and data["rule"] == "regular" and data["covered_until_period"] == "022025"
    assert data["debt_periods"] == [] and data["debt_amount"] == "0.00" and data["recommendation"] == "none"


def test_command_rejects_an_invalid_iin_or_date():
    with pytest.raises(CommandError, match="invalid IIN '900101300019'"):
        call_command("osms_status", "900101300019", stdout=io.StringIO())
    with pytest.raises(CommandError, match="invalid IIN"):
        call_command("osms_status", "90010130001", stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("osms_status", iin(), "--on", "20241123", stdout=io.StringIO())


def test_command_as_a_process_writes_json_on_stdout_and_errors_on_stderr(tmp_path):
    """The real entry point: stdout holds the JSON and nothing else; a bad IIN exits non-zero."""
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the subprocess needs a database it can see; the SQLite run covers it")
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    ok = subprocess.run([*manage, "osms_status", iin(), "--on", "2024-11-23"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rule"] == "none" and ok.stdout.count("\n") == 1
    bad = subprocess.run([*manage, "osms_status", "123"], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and bad.stdout == "" and "invalid IIN '123'" in bad.stderr
