"""The service level at a glance (docs/adr/0015): the figures per day and week made from the services'
stored deadlines, one aggregate query per service; the charts' geometry and text; the back-office page,
whole for fund staff, one clinic's for its registrar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from osms.clinics import services as clinics
from osms.clinics.tests.factories import make_clinic, make_fund_officer, make_registrar, submitted
from osms.core import charts, service_level
from osms.core.calendar import ALMATY
from osms.core.service_level import DAYS, SERVICE, WEEKS

TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ALMATY)
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=ALMATY)  # Thursday


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def approve(registrar, application):
    district = application.clinic.districts.get(number=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        clinics.application_approve(actor=registrar, application=application, district=district, doctor=district.doctor)


@pytest.fixture
def week_of_applications(make_user, time_machine):
    """Clinic A (Astana): one application answered in time, one never answered. Clinic B (Almaty): one
    answered late. Each answer is due one working day after the application."""
    astana, almaty = make_clinic(region="astana"), make_clinic(region="almaty_city", city="Алматы")
    registrar_a, registrar_b = make_registrar(make_user, astana), make_registrar(make_user, almaty)
    time_machine.move_to(TUESDAY, tick=False)
    answered = submitted(make_user(), astana)
    time_machine.move_to(TUESDAY + dt.timedelta(hours=1), tick=False)
    submitted(make_user(), astana)  # due Wednesday 11:00, never answered
    time_machine.move_to(TUESDAY + dt.timedelta(days=1, minutes=-30), tick=False)
    approve(registrar_a, answered)  # Wednesday 9:30, due 10:00: in time
    time_machine.move_to(TUESDAY + dt.timedelta(days=1), tick=False)
    late = submitted(make_user(), almaty)  # due Thursday 10:00
    time_machine.move_to(NOW - dt.timedelta(minutes=30), tick=False)
    approve(registrar_b, late)  # Thursday 11:30: late
    time_machine.move_to(NOW, tick=False)
    return {"astana": astana, "almaty": almaty, "registrar_a": registrar_a, "registrar_b": registrar_b}


def test_the_days_show_the_share_in_time_the_queue_and_the_oldest_waiting(
    week_of_applications, django_assert_num_queries
):
    with django_assert_num_queries(1):
        figures = service_level.service_figures(SERVICE["attachment"], kind=DAYS, now=NOW)
    tuesday, wednesday, thursday = figures.points[-3:]
    assert len(figures.points) == 14 and thursday.end == NOW
    assert (tuesday.received, tuesday.in_time, tuesday.late, tuesday.share_in_time) == (2, 1, 1, 0.5)
    assert (wednesday.received, wednesday.in_time, wednesday.late, wednesday.share_in_time) == (1, 0, 1, 0.0)
    assert (thursday.received, thursday.share_in_time) == (0, None)
    assert (tuesday.queue, wednesday.queue, thursday.queue) == (2, 2, 1)
    assert tuesday.oldest_waiting == dt.timedelta(hours=14)  # since Tuesday 10:00, at midnight
    assert thursday.oldest_waiting == dt.timedelta(days=2, hours=1)  # the unanswered one, since Tuesday 11:00
    assert figures.past_deadline == 1
    assert all(p.received == 0 and p.queue == 0 for p in figures.points[:-3])


def test_a_week_adds_its_days_up(week_of_applications):
    week = service_level.service_figures(SERVICE["attachment"], kind=WEEKS, now=NOW).current
    assert week.start == dt.datetime(2026, 11, 23, tzinfo=ALMATY)  # Monday
    assert (week.received, week.in_time, week.late, week.queue) == (3, 1, 2, 1)


def test_by_clinic_and_by_region_in_one_grouped_query(week_of_applications, django_assert_num_queries):
    with django_assert_num_queries(1):
        by_region = service_level.service_figures_by(SERVICE["attachment"], group="clinic__region", kind=DAYS, now=NOW)
    assert set(by_region) == {"astana", "almaty_city"}
    assert by_region["astana"].points[-3].share_in_time == 0.5 and by_region["astana"].past_deadline == 1
    assert by_region["almaty_city"].points[-2].late == 1 and by_region["almaty_city"].current.queue == 0


def test_every_service_answers_from_its_own_columns(db):
    for service in service_level.SERVICES:
        figures = service_level.service_figures(service, kind=DAYS, now=NOW)
        assert [p.received for p in figures.points] == [0] * 14 and figures.past_deadline == 0


def test_a_bar_chart_scales_marks_missing_values_and_says_every_value():
    chart = charts.bar_chart([50, None, 100], ["01.12", "02.12", "03.12"], texts=["50%", "—", "100%"], maximum=100)
    half, missing, full = chart.bars
    assert full.height == 2 * half.height and full.y == charts.TOP and full.y + full.height == chart.baseline
    assert missing.missing and missing.height == 0
    assert chart.description == "01.12: 50%; 02.12: —; 03.12: 100%"
    assert [tick.text for tick in chart.ticks] == ["0", "50", "100"]
    assert charts.nice_maximum(7) == 10 and charts.nice_maximum(130) == 200 and charts.nice_maximum(0) == 1
    many = charts.bar_chart(list(range(14)), [str(i) for i in range(14)], texts=[str(i) for i in range(14)])
    assert many.bars[-1].show_label and sum(bar.show_label for bar in many.bars) <= 7
    assert many.ticks[-1].text == "20"


def test_fund_staff_see_every_service_and_a_registrar_only_their_clinic(
    week_of_applications, make_user, staff_client, client
):
    page_url = reverse("service_level")
    officer = staff_client(make_fund_officer(make_user))
    page = officer.get(page_url, {"region": "astana"})
    assert page.status_code == 200
    text = page.content.decode()
    for key in ("statements", "attachment", "temporary_status", "appeals"):
        assert f'id="service-{key}-table"' in text and f'id="{key}-in-time-title"' in text
    assert 'role="img" aria-labelledby="attachment-queue-title attachment-queue-desc"' in text
    assert 'id="service-level-by-region"' in text and 'id="service-level-by-clinic"' in text
    assert week_of_applications["astana"].name_ru in text and "<script" not in text.split("</header>")[-1]
    assert officer.get(page_url, {"period": "weeks"}).status_code == 200

    registrar = staff_client(week_of_applications["registrar_b"])
    text = registrar.get(page_url, {"region": "astana"}).content.decode()
    assert week_of_applications["almaty"].name_ru in text
    assert week_of_applications["astana"].name_ru not in text
    assert 'id="service-statements-table"' not in text and "service-level-by-region" not in text

    client.force_login(make_user())
    assert client.get(page_url).status_code == 302  # a citizen gets the back office's sign-in
