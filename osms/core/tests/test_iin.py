"""docs/domain.md §2: every form that takes an IIN validates it and says precisely what is wrong."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from osms.core.iin import check_digit, iin_birth_date, make_bin, make_iin, validate_bin, validate_iin


def error_code(value: str, validator=validate_iin) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code


def test_check_digit_first_weights():
    # 9·1+0·2+0·3+1·4+0·5+1·6+3·7+0·8+0·9+0·10+1·11 = 51; 51 mod 11 = 7
    assert check_digit("90010130001") == 7
    validate_iin("900101300017")


def test_check_digit_falls_back_to_second_weights_when_first_gives_ten():
    # Find a number whose first sum gives 10 and check the second weights decide.
    for serial in range(10_000):
        first11 = f"8505054{serial:04d}"
        digits = [int(c) for c in first11]
        if sum(w * d for w, d in zip(range(1, 12), digits, strict=True)) % 11 == 10:
            second = sum(w * d for w, d in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), digits, strict=True)) % 11
            assert check_digit(first11) == (None if second == 10 else second)
            return
    pytest.fail("no number with a first sum of 10 found")


def test_number_with_no_valid_check_digit_is_invalid():
    for serial in range(10_000):
        first11 = f"8505054{serial:04d}"
        if check_digit(first11) is None:
            for last in "0123456789":
                assert error_code(first11 + last) == "iin_check_digit"
            return
    pytest.fail("no number without a check digit found")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("90010130001", "iin_length"),
        ("9001013000171", "iin_length"),
        ("90010130001a", "iin_not_digits"),
        ("", "iin_not_digits"),
        ("900101700017", "iin_century"),
        ("900101000017", "iin_century"),
        ("901301300017", "iin_date"),
        ("900230300017", "iin_date"),
        ("900101300018", "iin_check_digit"),
    ],
)
def test_each_fault_has_its_own_message(value, code):
    assert error_code(value) == code


def test_messages_name_the_fault():
    with pytest.raises(ValidationError) as caught:
        validate_iin("90010130001")
    assert "12" in str(caught.value.messages[0]) and "11" in str(caught.value.messages[0])


@pytest.mark.parametrize(
    ("birth", "female", "century_digit"),
    [
        (dt.date(1899, 12, 31), False, "1"),
        (dt.date(1899, 12, 31), True, "2"),
        (dt.date(1975, 6, 1), False, "3"),
        (dt.date(1975, 6, 1), True, "4"),
        (dt.date(2005, 2, 28), False, "5"),
        (dt.date(2005, 2, 28), True, "6"),
    ],
)
def test_century_and_sex_digit_and_birth_date(birth, female, century_digit):
    iin = make_iin(birth, female=female)
    validate_iin(iin)
    assert iin[6] == century_digit
    assert iin_birth_date(iin) == birth


def test_leap_day_is_a_real_date_only_in_leap_years():
    validate_iin(make_iin(dt.date(2000, 2, 29)))
    assert error_code("010229500011") == "iin_date"  # 29.02.2001 does not exist


def test_bin_rules():
    good = make_bin(dt.date(2010, 4, 1))
    validate_bin(good)
    assert good[4] == "4"
    assert error_code(good[:4] + "7" + good[5:], validate_bin) == "bin_type"
    assert error_code("101304000019", validate_bin) == "bin_month"
    broken = good[:11] + str((int(good[11]) + 1) % 10)
    assert error_code(broken, validate_bin) == "bin_check_digit"
