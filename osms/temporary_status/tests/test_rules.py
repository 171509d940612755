"""The rules without the database: who may ask, which stage follows which, the moments the sweep acts at."""

import datetime as dt

import pytest

from osms.core.calendar import ALMATY, BusinessCalendar
from osms.core.iin import make_iin
from osms.temporary_status import rules
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.workflow import REQUEST

Status = TemporaryStatusRequest.Status


@pytest.mark.parametrize(
    ("kwargs", "allowed", "refusal"),
    [
        ({"is_citizen": True, "insured": False, "has_pending": False, "temporary_until": None}, True, None),
        ({"is_citizen": False, "insured": False, "has_pending": False, "temporary_until": None}, False, "not_citizen"),
        ({"is_citizen": True, "insured": True, "has_pending": False, "temporary_until": None}, False, "insured"),
        ({"is_citizen": True, "insured": False, "has_pending": True, "temporary_until": None}, False, "pending"),
        (
            {"is_citizen": True, "insured": True, "has_pending": False, "temporary_until": dt.date(2026, 12, 1)},
            False,
            "temporary_active",
        ),
    ],
)
def test_only_a_citizen_not_insured_today_without_a_pending_request_may_ask(kwargs, allowed, refusal):
    decision = rules.eligibility(**kwargs)
    assert decision.allowed is allowed
    assert decision.refusal == refusal
    assert (decision.message is None) is allowed


def test_every_refusal_is_explained():
    assert set(rules.REFUSAL_MESSAGES) == set(rules.Refusal)


def test_the_table_of_stages():
    assert REQUEST.can_move("draft", "submitted")
    assert REQUEST.can_move("draft", "cancelled")
    assert REQUEST.can_move("submitted", "approved")
    assert REQUEST.can_move("submitted", "refused")
    assert REQUEST.can_move("approved", "expired")
    # Decided is decided; a refused request is followed by a new request, not reopened.
    for final in ("refused", "expired", "cancelled"):
        assert not any(REQUEST.can_move(final, target) for target in Status.values)
    assert not REQUEST.can_move("draft", "approved")
    assert not REQUEST.can_move("approved", "refused")
    assert not REQUEST.can_move("submitted", "draft")


def test_categories_the_iin_contradicts():
    today = dt.date(2026, 11, 23)
    man = make_iin(dt.date(1990, 1, 1), female=False, serial=5)
    woman = make_iin(dt.date(1990, 1, 1), female=True, serial=5)
    child = make_iin(dt.date(2010, 1, 1), female=False, serial=5)
    assert rules.category_misfit(category=1, iin=man, birth=dt.date(1990, 1, 1), today=today) is not None
    assert rules.category_misfit(category=1, iin=child, birth=dt.date(2010, 1, 1), today=today) is None
    # Eighteen today: no longer a child.
    assert rules.category_misfit(category=1, iin=child, birth=dt.date(2008, 11, 23), today=today) is not None
    assert rules.category_misfit(category=1, iin=child, birth=dt.date(2008, 11, 24), today=today) is None
    assert rules.category_misfit(category=2, iin=man, birth=dt.date(1990, 1, 1), today=today) is not None
    assert rules.category_misfit(category=5, iin=man, birth=dt.date(1990, 1, 1), today=today) is not None
    assert rules.category_misfit(category=2, iin=woman, birth=dt.date(1990, 1, 1), today=today) is None
    for other in (3, 4, 6, 7, 8, 9, 10, 11, 12, 13):
        assert rules.category_misfit(category=other, iin=man, birth=dt.date(1990, 1, 1), today=today) is None


def test_missing_documents_keep_the_category_order():
    required = ["Disability certificate", "The child's birth certificate", "Unemployment registration certificate"]
    assert rules.missing_documents(required=required, uploaded={"The child's birth certificate"}) == [
        "Disability certificate",
        "Unemployment registration certificate",
    ]
    assert rules.missing_documents(required=required, uploaded=set(required)) == []


def test_review_deadline_is_three_working_days_on_the_business_calendar():
    calendar = BusinessCalendar()
    # Friday 11:00 → Wednesday 11:00 (the weekend does not count).
    assert rules.review_deadline(dt.datetime(2026, 11, 20, 11, 0, tzinfo=ALMATY), calendar=calendar) == dt.datetime(
        2026, 11, 25, 11, 0, tzinfo=ALMATY
    )
    # Sent on Saturday: the clock starts on Monday at 9:00.
    assert rules.review_deadline(dt.datetime(2026, 11, 21, 22, 0, tzinfo=ALMATY), calendar=calendar) == dt.datetime(
        2026, 11, 26, 9, 0, tzinfo=ALMATY
    )
    # A decreed day off in between moves the deadline a day on.
    calendar = BusinessCalendar(days_off=[dt.date(2026, 11, 24)])
    assert rules.review_deadline(dt.datetime(2026, 11, 20, 11, 0, tzinfo=ALMATY), calendar=calendar) == dt.datetime(
        2026, 11, 26, 11, 0, tzinfo=ALMATY
    )


def test_the_moments_of_the_expiry_notice_and_the_closing():
    until = dt.date(2026, 12, 22)
    assert rules.expiry_notice_moment(until) == dt.datetime(2026, 12, 19, 10, 0, tzinfo=ALMATY)
    assert rules.closing_moment(until) == dt.datetime(2026, 12, 23, 9, 0, tzinfo=ALMATY)


def test_request_number():
    assert rules.request_number(pk=42, submitted=dt.date(2026, 11, 23)) == "TS-2026-000042"
