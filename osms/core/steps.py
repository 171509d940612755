"""Multi-page forms in the GOV.UK pattern: question pages → check your answers → confirmation.

One question per page (one view each, as the service's own views); the answers so far are kept
server-side in the session under one key, never in hidden fields; each page sends the citizen back
to the first question not yet answered; after "Change" on the check page, saving a question returns
to the check page. The confirmation page is the service's own (it shows the number of the record
the service made). Usage, in a service's views.py::

    FLOW = Steps(key="appeals.draft", order=("topic", "region", ...), url_of=lambda step: f"appeals:new_{step}",
                 check="appeals:new_check")
    if (early := FLOW.needs(request, "region")) is not None:
        return early
    FLOW.save(request, region=form.cleaned_data["region"])
    return FLOW.after(request, "region")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

CHECKING = "checking"  # set when the citizen has seen the check page: "Change" links come back to it


@dataclass(frozen=True)
class Steps:
    key: str  # the session key of the answers
    order: tuple[str, ...]  # the answer each question page stores, in the order the pages come
    url_of: Callable[[str], str]  # the URL name of a question's page
    check: str  # the URL name of "check your answers"
    following: dict[str, str] | None = None  # where a page leads when not simply the next in `order`

    def answers(self, request: HttpRequest) -> dict:
        return dict(request.session.get(self.key) or {})

    def replace(self, request: HttpRequest, answers: dict) -> None:
        request.session[self.key] = answers

    def save(self, request: HttpRequest, **values) -> dict:
        answers = {**self.answers(request), **values}
        self.replace(request, answers)
        return answers

    def clear(self, request: HttpRequest) -> None:
        request.session.pop(self.key, None)

    def missing(self, answers: dict) -> str | None:
        """The first question not yet answered, or None when all are."""
        return next((step for step in self.order if step not in answers), None)

    def needs(self, request: HttpRequest, step: str) -> HttpResponseRedirect | None:
        """A redirect to the first unanswered question before `step`, or None when `step` may be shown."""
        missing = self.missing(self.answers(request))
        if missing is not None and self.order.index(missing) < self.order.index(step):
            return redirect(self.url_of(missing))
        return None

    def checking(self, request: HttpRequest) -> bool:
        return bool(request.GET.get("change")) or bool(self.answers(request).get(CHECKING))

    def begin_checking(self, request: HttpRequest) -> dict:
        return self.save(request, **{CHECKING: True})

    def next_url(self, request: HttpRequest, step: str) -> str:
        """Back to the check page after a change, else on to the page after `step`."""
        if self.checking(request):
            return self.check
        following = (self.following or {}).get(step)
        if following is not None:
            return following
        index = self.order.index(step) + 1
        return self.url_of(self.order[index]) if index < len(self.order) else self.check

    def after(self, request: HttpRequest, step: str) -> HttpResponseRedirect:
        return redirect(self.next_url(request, step))
