import io

import pytest
from django.utils import timezone

from osms.accounts.models import User
from osms.representation import demo, selectors
from osms.representation.models import Representation

pytestmark = pytest.mark.django_db


def test_the_demo_family_and_guardian_load_twice_without_change():
    rows = demo.load(out=io.StringIO())
    assert demo.load(out=io.StringIO()) == rows
    assert Representation.objects.count() == 3
    parent = User.objects.get(iin=rows[0][1])
    guardian = User.objects.get(iin=rows[1][1])
    today = timezone.localdate()
    assert [ward.name for ward in selectors.wards_of(user=parent, on=today)][:1] == ["Қасымов Әли Нұрланұлы"]
    assert len(selectors.wards_of(user=parent, on=today)) == 2
    assert [ward.person.first_name for ward in selectors.wards_of(user=guardian, on=today)] == ["Мадина"]
