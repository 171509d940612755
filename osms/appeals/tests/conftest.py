import datetime as dt

import pytest

from osms.accounts.models import Role


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"

    yield


# Staff are born on days of their own: the shared `new_iin` may hand out one IIN twice when a serial has no
# check digit (make_iin then takes the next serial, which the counter hands out again).


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.FUND_OFFICER, birth=dt.date(1985, 9, 3), last_name="Фондов", first_name="Ерлан")


@pytest.fixture
def other_officer(make_user):
    return make_user(role=Role.FUND_OFFICER, birth=dt.date(1986, 4, 5), last_name="Жумабаева", first_name="Гульнара")


@pytest.fixture
def operator(make_user):
    return make_user(
        role=Role.CALL_CENTRE_OPERATOR, birth=dt.date(1995, 7, 21), last_name="Операторов", first_name="Нурлан"
    )


@pytest.fixture
def registrar(make_user):
    return make_user(
        role=Role.CLINIC_REGISTRAR, birth=dt.date(1990, 2, 14), last_name="Регистраторова", first_name="Динара"
    )
