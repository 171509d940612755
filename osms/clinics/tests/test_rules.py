"""The pure rules: status moves, who may apply for which reason and to which clinic, district suggestions."""

import datetime as dt

import pytest
from django.utils.formats import date_format

from osms.clinics import rules
from osms.clinics.models import AttachmentApplication, Reason
from osms.clinics.workflow import APPLICATION

Status = AttachmentApplication.Status
TODAY = dt.date(2026, 11, 23)


POLICY = rules.Policy(choice_interval_months=12)


def attached(started_on=dt.date(2026, 1, 10), *, clinic_id=1, supplier=True):
    return rules.CurrentAttachment(clinic_id=clinic_id, started_on=started_on, clinic_is_supplier=supplier)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Status.UNCONFIRMED, Status.PENDING, True),
        (Status.UNCONFIRMED, Status.ABANDONED, True),
        (Status.UNCONFIRMED, Status.APPROVED, False),
        (Status.PENDING, Status.APPROVED, True),
        (Status.PENDING, Status.REFUSED, True),
        (Status.PENDING, Status.WITHDRAWN, True),
        (Status.PENDING, Status.ABANDONED, False),
        (Status.APPROVED, Status.REFUSED, False),
        (Status.REFUSED, Status.APPROVED, False),
        (Status.WITHDRAWN, Status.PENDING, False),
    ],
)
def test_status_moves_follow_the_table(current, target, allowed):
    assert APPLICATION.can_move(current, target) is allowed


def test_every_status_has_a_row_in_the_table():
    moves = APPLICATION.moves
    assert {move.source for move in moves} | {move.target for move in moves} == set(Status.values)


def test_first_attachment_only_when_attached_nowhere():
    assert rules.reason_verdict(Reason.FIRST, current=None, policy=POLICY, today=TODAY).allowed
    assert not rules.reason_verdict(Reason.FIRST, current=attached(), policy=POLICY, today=TODAY).allowed
    for reason in (Reason.RESIDENCE, Reason.CHOICE, Reason.CLINIC_LEFT):
        assert not rules.reason_verdict(reason, current=None, policy=POLICY, today=TODAY).allowed


def test_change_of_residence_is_allowed_at_any_time():
    verdict = rules.reason_verdict(Reason.RESIDENCE, current=attached(TODAY), policy=POLICY, today=TODAY)
    assert verdict.allowed


def test_free_choice_once_in_the_interval():
    recent = attached(dt.date(2026, 3, 31))
    verdict = rules.reason_verdict(Reason.CHOICE, current=recent, policy=POLICY, today=TODAY)
    assert not verdict.allowed
    assert date_format(dt.date(2027, 3, 31), "SHORT_DATE_FORMAT") in verdict.message  # the day it becomes possible
    assert rules.reason_verdict(Reason.CHOICE, current=recent, policy=POLICY, today=dt.date(2027, 3, 31)).allowed
    assert not rules.reason_verdict(Reason.CHOICE, current=recent, policy=POLICY, today=dt.date(2027, 3, 30)).allowed


def test_free_choice_during_the_campaign_whatever_the_interval():
    policy = rules.Policy(
        choice_interval_months=12, campaign_starts=dt.date(2026, 11, 1), campaign_ends=dt.date(2026, 11, 30)
    )
    recent = attached(dt.date(2026, 10, 1))
    assert rules.reason_verdict(Reason.CHOICE, current=recent, policy=policy, today=TODAY).allowed
    assert not rules.reason_verdict(Reason.CHOICE, current=recent, policy=policy, today=dt.date(2026, 12, 1)).allowed


def test_an_interval_of_zero_means_any_time():
    policy = rules.Policy(choice_interval_months=0)
    assert rules.reason_verdict(Reason.CHOICE, current=attached(TODAY), policy=policy, today=TODAY).allowed


def test_clinic_left_only_when_the_clinic_no_longer_serves_the_fund():
    assert rules.reason_verdict(
        Reason.CLINIC_LEFT, current=attached(supplier=False), policy=POLICY, today=TODAY
    ).allowed
    assert not rules.reason_verdict(Reason.CLINIC_LEFT, current=attached(), policy=POLICY, today=TODAY).allowed


def test_add_months_keeps_the_day_or_takes_the_last_one():
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert rules.add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)


def facts(clinic_id=2, *, supplier=True, since=None, until=None):
    return rules.ClinicFacts(id=clinic_id, is_fund_supplier=supplier, supplier_from=since, supplier_until=until)


def test_the_clinic_one_is_attached_to_is_refused_at_once():
    verdict = rules.clinic_verdict(facts(1), current=attached(clinic_id=1), today=TODAY)
    assert not verdict.allowed and "already attached" in verdict.message
    assert rules.clinic_verdict(facts(2), current=attached(clinic_id=1), today=TODAY).allowed


def test_only_suppliers_of_the_fund_on_the_day():
    assert not rules.clinic_verdict(facts(supplier=False), current=None, today=TODAY).allowed
    assert not rules.clinic_verdict(facts(until=dt.date(2026, 11, 22)), current=None, today=TODAY).allowed
    assert not rules.clinic_verdict(facts(since=dt.date(2026, 11, 24)), current=None, today=TODAY).allowed
    assert rules.clinic_verdict(facts(since=TODAY, until=TODAY), current=None, today=TODAY).allowed


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("ул. Абая", "абая"),
        ("Абая көшесі", "абая"),
        ("пр-т Абая", "абая"),
        ("ПРОСПЕКТ  Абая", "абая"),
        ("мкр. Орбита-1", "орбита-1"),
        ("ул. Бейбітшілік", "бейбітшілік"),
        ("Тёплая ул.", "теплая"),
    ],
)
def test_street_names_are_compared_without_their_kind(text, normalised):
    assert rules.normalise_street(text) == normalised


def test_house_numbers_with_letters_and_fractions():
    assert rules.house_number("10А") == 10
    assert rules.house_number("10/2") == 10
    assert rules.house_number("") is None


def test_street_lines_are_parsed_and_bad_ones_said_precisely():
    assert rules.parse_street_line("ул. Абая: 1-25, 27") == rules.StreetLine("абая", ((1, 25), (27, 27)))
    assert rules.parse_street_line("ул. Кенесары") == rules.StreetLine("кенесары", ())
    with pytest.raises(rules.StreetLineError):
        rules.parse_street_line(": 1-5")
    with pytest.raises(rules.StreetLineError):
        rules.parse_street_line("ул. Абая: 1-а")
    with pytest.raises(rules.StreetLineError):
        rules.parse_street_line("ул. Абая: 30-10")


def test_the_district_is_suggested_from_the_address():
    districts = [
        (1, "пр. Абая: 1-40\nул. Кенесары: 1-30"),
        (2, "пр. Абая: 41-120\nул. Бейбитшилик"),
        (3, "ул. Кенесары"),
    ]
    assert rules.suggest_districts(street="проспект Абая", house="12", districts=districts) == [1]
    assert rules.suggest_districts(street="Абая даңғылы", house="41А", districts=districts) == [2]
    # A house range beats a district that lists the whole street.
    assert rules.suggest_districts(street="ул. Кенесары", house="5", districts=districts) == [1, 3]
    assert rules.suggest_districts(street="ул. Кенесары", house="55", districts=districts) == [3]
    assert rules.suggest_districts(street="ул. Неизвестная", house="1", districts=districts) == []
    assert rules.suggest_districts(street="пр. Абая", house="500", districts=districts) == []


def test_figures_median_and_share():
    assert rules.median([]) is None
    assert rules.median([60, 180, 120]) == 120
    assert rules.share(3, 4) == 0.75
    assert rules.share(0, 0) is None
