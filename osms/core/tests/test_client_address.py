"""One trusted client address for rate limits, the lockout, the audit trail and the lookup log,
with and without a reverse proxy in front, against forged X-Forwarded-For headers."""

import pytest
from auditlog.models import LogEntry
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD, new_iin
from osms.core.client_address import client_ip
from osms.coverage.models import StatusLookup

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


def _request(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = []
    return settings


@pytest.fixture
def no_proxy(settings):
    settings.PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = []
    return settings


def test_without_a_proxy_the_socket_address_counts_and_the_header_is_ignored(no_proxy):
    assert client_ip(_request("198.51.100.4", "203.0.113.66")) == "198.51.100.4"
    assert client_ip(_request("198.51.100.4", "203.0.113.66, 192.0.2.1")) == "198.51.100.4"
    assert client_ip(_request("198.51.100.4")) == "198.51.100.4"


def test_behind_one_proxy_the_entry_the_proxy_appended_counts(one_proxy):
    assert client_ip(_request(PROXY, "198.51.100.4")) == "198.51.100.4"
    # A client that writes its own header gets its forged entry to the left of the proxy's.
    assert client_ip(_request(PROXY, "203.0.113.66, 198.51.100.4")) == "198.51.100.4"
    assert client_ip(_request(PROXY, "1.1.1.1, 2.2.2.2, 198.51.100.4")) == "198.51.100.4"
    assert client_ip(_request(PROXY, "not-an-address, 198.51.100.4")) == "198.51.100.4"
    assert client_ip(_request(PROXY)) == PROXY  # no header: not through the proxy


def test_behind_two_proxies_the_outer_one_vouches(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "203.0.113.66, 198.51.100.4, 10.0.0.9")) == "198.51.100.4"
    assert client_ip(_request(PROXY, "10.0.0.9")) == PROXY  # too short: never a client-chosen entry


def test_trusted_networks_believe_the_header_only_from_the_proxy(settings):
    settings.PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert client_ip(_request(PROXY, "203.0.113.66, 198.51.100.4")) == "198.51.100.4"
    assert client_ip(_request("fd00::1", "198.51.100.4")) == "198.51.100.4"
    # Straight to the web server, around the proxy: the header is the caller's own invention.
    assert client_ip(_request("198.51.100.200", "203.0.113.66")) == "198.51.100.200"


def _check(client, person: str, *, xff: str, remote: str = PROXY):
    return client.post(reverse("coverage:status_check"), {"iin": person}, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)


def test_behind_a_proxy_a_forged_first_entry_does_not_change_the_rate_limit_bucket(client, one_proxy):
    one_proxy.RATELIMITS = {**one_proxy.RATELIMITS, "public_lookup": "3/m"}
    person = new_iin()
    for n in range(3):
        assert _check(client, person, xff=f"203.0.113.{n}, 198.51.100.4").status_code == 200
    assert _check(client, person, xff="203.0.113.99, 198.51.100.4").status_code == 429
    # Another citizen behind the same proxy has a bucket of their own.
    assert _check(client, person, xff="198.51.100.5").status_code == 200
    assert set(StatusLookup.objects.values_list("client", flat=True)) == {"198.51.100.4", "198.51.100.5"}


def test_without_a_proxy_a_forged_header_does_not_open_a_new_bucket(client, no_proxy):
    no_proxy.RATELIMITS = {**no_proxy.RATELIMITS, "public_lookup": "2/m"}
    person = new_iin()
    for n in range(2):
        assert _check(client, person, xff=f"203.0.113.{n}", remote="198.51.100.4").status_code == 200
    assert _check(client, person, xff="203.0.113.50", remote="198.51.100.4").status_code == 429
    assert set(StatusLookup.objects.values_list("client", flat=True)) == {"198.51.100.4"}


def _sign_in(client, iin: str, password: str, *, xff: str):
    return client.post(
        reverse("accounts:login"),
        {"username": iin, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


def test_behind_a_proxy_a_stranger_cannot_lock_a_citizen_out(client, citizen, one_proxy):
    for n in range(6):
        _sign_in(client, citizen.iin, "wrong-password", xff=f"192.0.2.{n}, 203.0.113.9")
    # The stranger stays locked out whatever it writes in the header ...
    assert _sign_in(client, citizen.iin, PASSWORD, xff="198.51.100.4, 203.0.113.9").status_code == 429
    # ... and the citizen, behind the same proxy, signs in.
    assert _sign_in(client, citizen.iin, PASSWORD, xff="198.51.100.4").status_code == 302


def test_the_audit_trail_records_the_trusted_address(client, citizen, one_proxy):
    client.force_login(citizen)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4")
    from osms.core.middleware import AuditlogMiddleware

    extra = AuditlogMiddleware(lambda r: None).get_extra_data(_request(PROXY, "203.0.113.66, 198.51.100.4"))
    assert extra["remote_addr"] == "198.51.100.4" and extra["remote_port"] is None
    assert not LogEntry.objects.filter(remote_addr="203.0.113.66").exists()


def _deploy_errors() -> set[str]:
    from django.core.checks import run_checks

    return {message.id for message in run_checks(include_deployment_checks=True, tags=["security"])}


def test_check_deploy_refuses_a_proxy_count_without_trusted_networks(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = []
    assert "osms.E001" in _deploy_errors()
    settings.TRUSTED_PROXIES = [" "]  # an empty entry from "TRUSTED_PROXIES= ," names no network
    assert "osms.E001" in _deploy_errors()
    settings.TRUSTED_PROXIES = ["172.30.0.0/24"]
    assert not {"osms.E001", "osms.E002"} & _deploy_errors()


def test_check_deploy_passes_without_a_proxy_and_names_a_malformed_network(settings):
    settings.PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = []
    assert not {"osms.E001", "osms.E002"} & _deploy_errors()
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.kz"]
    assert "osms.E002" in _deploy_errors()


def test_the_proxy_check_is_a_deployment_check_only(settings):
    from django.core.checks import run_checks

    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = []
    assert "osms.E001" not in {message.id for message in run_checks(tags=["security"])}
