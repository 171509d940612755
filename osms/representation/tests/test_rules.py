import datetime as dt

from conftest import new_iin
from osms.representation import rules

KID = new_iin(dt.date(2010, 5, 20))
LEAP = new_iin(dt.date(2008, 2, 29))


def test_a_parent_acts_until_the_day_before_the_18th_birthday():
    assert rules.eighteenth_birthday(KID) == dt.date(2028, 5, 20)
    assert rules.is_in_force(
        ground="parent", ward_iin=KID, start=dt.date(2010, 5, 20), end=None, on=dt.date(2028, 5, 19)
    )
    assert not rules.is_in_force(
        ground="parent", ward_iin=KID, start=dt.date(2010, 5, 20), end=None, on=dt.date(2028, 5, 20)
    )


def test_a_parents_end_after_18_does_not_stretch_the_right():
    end = dt.date(2030, 1, 1)
    assert rules.last_day(ground="parent", ward_iin=KID, end=end) == dt.date(2028, 5, 19)
    assert rules.last_day(ground="parent", ward_iin=KID, end=dt.date(2020, 1, 1)) == dt.date(2020, 1, 1)


def test_a_guardian_acts_while_the_decision_lasts_and_an_empty_end_is_open():
    start = dt.date(2020, 1, 1)
    assert rules.is_in_force(ground="guardian", ward_iin=KID, start=start, end=None, on=dt.date(2040, 1, 1))
    assert rules.is_in_force(
        ground="trustee", ward_iin=KID, start=start, end=dt.date(2025, 1, 1), on=dt.date(2025, 1, 1)
    )
    assert not rules.is_in_force(
        ground="trustee", ward_iin=KID, start=start, end=dt.date(2025, 1, 1), on=dt.date(2025, 1, 2)
    )
    assert not rules.is_in_force(ground="guardian", ward_iin=KID, start=start, end=None, on=dt.date(2019, 12, 31))


def test_born_on_29_february_is_of_age_on_1_march():
    assert rules.eighteenth_birthday(LEAP) == dt.date(2026, 3, 1)


def test_a_parent_ground_needs_a_minor_and_nobody_represents_themself():
    adult = new_iin(dt.date(1990, 1, 1))
    assert (
        rules.ground_problem(ground="parent", ward_iin=adult, representative_iin=KID, start=dt.date(2026, 1, 1))
        == "adult"
    )
    assert (
        rules.ground_problem(ground="guardian", ward_iin=adult, representative_iin=KID, start=dt.date(2026, 1, 1))
        is None
    )
    assert (
        rules.ground_problem(ground="parent", ward_iin=KID, representative_iin=KID, start=dt.date(2026, 1, 1)) == "self"
    )


def test_a_request_moves_only_from_submitted():
    assert rules.can_move("submitted", "approved")
    assert rules.can_move("submitted", "refused")
    assert not rules.can_move("approved", "refused")
    assert not rules.can_move("refused", "approved")
