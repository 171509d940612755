import io

import pytest

from osms.pages import demo

pytestmark = pytest.mark.django_db


def test_demo_renders_every_page_and_adds_no_sign_in_lines():
    out = io.StringIO()
    assert demo.load(out=out) == []
    assert demo.load(out=out) == []  # idempotent: nothing stored
    assert "/ru/information/" in out.getvalue()
