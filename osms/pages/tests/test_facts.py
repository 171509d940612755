"""Facts a citizen acts on, checked on the pages in all three languages (issue: fidelity to the
seeds). Each test asserts the corrected fact appears and the wrong wording does not."""

from __future__ import annotations

import re

import pytest

from .test_pages import LANGUAGES, frozen_clock, get, main, page_url  # noqa: F401 (the clock fixture)

pytestmark = pytest.mark.django_db


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    following = re.compile(r'<h2 class="govuk-heading-l" id=')
    found = following.search(html, start + 1)
    return html[start : found.start() if found else len(html)]


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


CHRONIC = {"ru": "хронич", "kk": "созылмалы", "en": "chronic"}
INSURANCE = {"ru": "ОСМС", "kk": "МӘМС", "en": "insurance"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_free_care_does_not_promise_chronic_care_regardless_of_status_in_2026(client, language):
    """Seed 002: from 2026 chronic patients are treated "только уже в рамках ОСМС"."""
    html = main(get(client, page_url("free-care", language)))
    warning = plain(html[html.index('id="chronic-2026"') : html.index("</div>", html.index('id="chronic-2026"'))])
    assert "2026" in warning and CHRONIC[language] in warning.lower() and INSURANCE[language] in warning
    listed = [plain(item) for item in re.findall(r"<li>(.*?)</li>", section(html, "what"), re.S)]
    chronic_items = [item for item in listed if CHRONIC[language] in item.lower()]
    assert len(chronic_items) == 2
    for item in chronic_items:  # never listed as free without saying it moved to insurance
        assert "2026" in item and INSURANCE[language] in item


CONTACTS = ("1406", "8-800-080-7777", "1414")
OTP = {"ru": "одноразовым паролем", "kk": "бір реттік құпиясөзбен", "en": "one-time password"}
COURT = {
    "ru": "обращение в суд допускается после обжалования в досудебном порядке",
    "kk": "сотқа дейінгі тәртіппен шағымданғаннан кейін",
    "en": "go to court only after the pre-trial complaint",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_contacts_and_channels_of_the_order(client, language):
    """Seed 003: the Fund's 1406 and the state-services 8-800-080-7777 beside 1414; an eGov
    request signed with ЭЦП or confirmed by a one-time password; the court after the complaint."""
    checking = main(get(client, page_url("checking-status", language)))
    centres = plain(checking[checking.index('id="contact-centres"') :])
    assert all(number in centres for number in CONTACTS)
    egov = plain(section(checking, "egov"))
    assert OTP[language] in egov
    assert OTP[language] in plain(section(checking, "payments"))
    faq = plain(main(get(client, page_url("faq", language))))
    assert OTP[language] in faq
    rights = plain(main(get(client, page_url("patient-rights", language))))
    assert COURT[language] in rights and "1406" in rights and "8-800-080-7777" in rights


WRONG_PREPAID_END = {
    "ru": "оплативших взносы за будущий год, — до последнего оплаченного месяца)",
    "kk": "дербес төлеушілер үшін — соңғы төленген айға дейін)",
    "en": "up to the last paid month)",
}
GRACE_AFTER_RUN = {"ru": "еще 3 месяца", "kk": "тағы 3 ай", "en": "3 more months"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_a_prepaid_year_the_pages_agree_with_the_cabinet(client, language):
    """The run covers to its last month; then the general rule keeps status 3 months while debt accrues."""
    for slug in ("checking-status", "faq", "getting-status"):
        text = plain(main(get(client, page_url(slug, language))))
        assert WRONG_PREPAID_END[language] not in text, slug
        assert GRACE_AFTER_RUN[language] in text, slug
    status = main(get(client, page_url("getting-status", language)))
    after = plain(status[status.index('id="after-prepaid"') : status.index("</p>", status.index('id="after-prepaid"'))])
    assert GRACE_AFTER_RUN[language] in after


EGOV = {"ru": "По данным eGov.kz", "kk": "eGov.kz мәліметі бойынша", "en": "eGov.kz says"}
NEXT_MORNING = {
    "ru": "утром следующего рабочего дня",
    "kk": "келесі жұмыс күнінің таңында",
    "en": "next working morning",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_official_service_time_is_fifteen_working_minutes_and_egovs_ten_is_egovs(client, language):
    checking = main(get(client, page_url("checking-status", language)))
    egov = plain(section(checking, "egov"))
    ten = [sentence for sentence in re.split(r"(?<=[.])\s", egov) if "10 " in sentence]
    assert ten and all(EGOV[language] in sentence for sentence in ten)  # only as eGov's own figure
    official = plain(
        checking[checking.index('id="service-time"') : checking.index("</p>", checking.index('id="service-time"'))]
    )
    assert "15" in official and "9:00" in official and NEXT_MORNING[language] in official
