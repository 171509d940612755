"""The demo: a citizen with an issued statement, loaded twice without change."""

import io

from osms.coverage.models import Payment

from .. import demo
from ..models import StatementDocument, StatementRequest


def test_the_demo_citizen_has_an_issued_statement_and_loading_twice_changes_nothing(db):
    rows = demo.load(out=io.StringIO())
    again = demo.load(out=io.StringIO())
    assert rows == again and len(rows) == 1
    iin = rows[0][1]
    assert StatementRequest.objects.filter(iin=iin, status=StatementRequest.Status.ISSUED).count() == 1
    document = StatementDocument.objects.get(holder_iin=iin)
    assert len(document.content["rows"]) == Payment.objects.filter(consumer_iin=iin).count() == 12
    assert {row["kind"] for row in document.content["rows"]} == {"deduction", "contribution"}
    assert document.content["holder_name"] == "Нурланов Данияр Ерланович"
