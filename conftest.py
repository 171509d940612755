"""Fixtures shared by every app's tests. Data is built through the same services users go through."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from osms.core.iin import make_iin
from osms.core.sms import LocmemSmsBackend

pytest_plugins = ["tests.clamd"]  # every upload in the tests is scanned by a real clamd


def pytest_addoption(parser):
    parser.addoption(
        "--travel-to",
        metavar="ISO-MOMENT",
        help="run the whole suite as if the clock read this moment (e.g. 2026-12-31T20:30:00+00:00, "
        "new year's day in Almaty): no test may depend on the real date",
    )


def pytest_configure(config):
    moment = config.getoption("--travel-to", default=None)
    if moment:
        import time_machine

        config._osms_travel = time_machine.travel(dt.datetime.fromisoformat(moment), tick=True)
        config._osms_travel.start()


_serials = itertools.count(100)


@pytest.fixture(autouse=True)
def _clean_outboxes_and_cache():
    from osms.coverage.selectors import mzp_table_forget, rates_table_forget

    LocmemSmsBackend.outbox.clear()
    cache.clear()
    # The МЗП table is also kept in each process for 30 s: a test's edit, rolled back, must not
    # outlive it.
    mzp_table_forget()
    rates_table_forget()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def english():
    """The pages and messages in English (the msgids) whatever the catalogues hold, so that tests read
    the words; reverse() then gives /en/ addresses. Modules and apps that read words use it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded and issued documents go to this test's own folder."""
    from django.utils.functional import empty

    from osms.core.uploads import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def sms_outbox() -> list[dict[str, str]]:
    return LocmemSmsBackend.outbox


_handed_out: set[str] = set()


def new_iin(birth: dt.date = dt.date(1990, 1, 15), *, female: bool = False) -> str:
    """A valid IIN not handed out before in this run (make_iin skips serials without a check digit,
    so two serials can give the same number)."""
    while True:
        iin = make_iin(birth, female=female, serial=next(_serials))
        if iin not in _handed_out:
            _handed_out.add(iin)
            return iin


PASSWORD = "Correct-Horse-42-Battery"


def in_register(iin: str, *, phone: str = "", birth: dt.date | None = None, **fields):
    """The persons register's row for the IIN (DOMAIN §13): its phone is the only number codes go to."""
    from osms.core.iin import iin_birth_date
    from osms.coverage.models import Person

    defaults = {"last_name": "Сериков", "first_name": "Арман", "birth_date": birth or iin_birth_date(iin)}
    defaults.update(fields, phone=phone)
    return Person.objects.update_or_create(iin=iin, defaults=defaults)[0]


@pytest.fixture
def make_user(db):
    from osms.accounts.models import Role, User

    def make(
        *, role: str = Role.CITIZEN, birth: dt.date = dt.date(1990, 1, 15), registered: bool = True, **fields
    ) -> User:
        """A user whose identity is proved: by default the persons register holds the account's phone
        for the IIN (registered=False: the IIN is not in the register)."""
        iin = fields.pop("iin", None) or new_iin(birth)
        defaults = {
            "last_name": "Сериков",
            "first_name": "Арман",
            "birth_date": birth,
            "phone": "+77011234567",
            "phone_verified_at": timezone.now(),
            "is_staff": role != Role.CITIZEN,
        }
        defaults.update(fields)
        user = User.objects.create_user(iin, PASSWORD, **defaults)
        if registered:
            in_register(iin, phone=user.phone, birth=user.birth_date or birth)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    return make


@pytest.fixture
def citizen(make_user):
    return make_user()


@pytest.fixture
def staff_client(client):
    """A client signed in to the back office as a staff user whose second factor is verified."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return sign_in


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, with each request's on-commit callbacks (queued tasks) run when it ends,
    as they would be when a real request's transaction commits."""
    original = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(**kwargs)

    client.request = request
    return client


@pytest.fixture(scope="session")
def test_pki():
    """The test EDS chain (a fake НУЦ РК root): osms/core/testing/pki.py."""
    from osms.core.testing.pki import TestPki

    return TestPki.generate()


@pytest.fixture(scope="session")
def _ncanode_standin_url(test_pki):
    from osms.core.testing.ncanode_standin import start

    server, url = start(test_pki)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def ncanode_standin(settings, test_pki, _ncanode_standin_url):
    """EDS on: NCANODE_URL points at the NCANode stand-in that trusts the test chain."""
    settings.NCANODE_URL = _ncanode_standin_url
    settings.NCANODE_TIMEOUT = 30  # a loaded test machine is slow; a real NCANode answers in well under a second
    return test_pki
