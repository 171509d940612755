"""What the browser tests share: the axe-core check, watching a page for broken assets, SMS codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Pictures of pages for the docs, taken by the browser tests so that they stay current.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# WCAG 2.2 AA, which includes every A and AA criterion of 2.0 and 2.1.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class PageProblems:
    """Failed requests for the page's own assets and uncaught script errors, gathered as they happen."""

    origin: str = ""
    failures: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, page, origin: str) -> PageProblems:
        problems = cls(origin=origin)
        page.on("response", problems._on_response)
        page.on("requestfailed", problems._on_failed)
        page.on("pageerror", lambda error: problems.failures.append(f"script error: {error}"))
        return problems

    def _on_failed(self, request) -> None:
        # A download the browser cancelled because the page was left (the favicon, say) is not broken.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failures.append(f"failed: {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        request = response.request
        if response.status >= 400 and request.resource_type != "document" and response.url.startswith(self.origin):
            self.failures.append(f"{response.status}: {response.url}")

    def take(self) -> list[str]:
        found, self.failures = self.failures, []
        return found


_PROBLEMS: dict[int, PageProblems] = {}


def watch(page, origin: str) -> None:
    _PROBLEMS[id(page)] = PageProblems.watch(page, origin)


def unwatch(page) -> None:
    _PROBLEMS.pop(id(page), None)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    * {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    * ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def no_sideways_scroll(page) -> None:
    """Fail if the page is wider than the window: at 360 px nothing may scroll sideways (WCAG 1.4.10)."""
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    where = urlsplit(page.url).path
    assert width <= window, f"{where} scrolls sideways at {window} px: the page is {width} px wide"


def axe_check(page) -> None:
    """Fail unless the page loaded its CSS and assets, fits its window without scrolling sideways, and
    axe-core finds no WCAG 2.2 A/AA violation (the journeys call it on every page they visit)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    where = urlsplit(page.url).path
    no_sideways_scroll(page)
    problems = _PROBLEMS.get(id(page))
    if problems is not None:
        failures = problems.take()
        assert not failures, f"{where}: assets or scripts failed:\n" + "\n".join(failures)
    # The portal's stylesheet is in effect, so the contrast checks see the real colours and fonts.
    styled = page.evaluate(
        """() => {
          const sheets = [...document.querySelectorAll('link[rel=stylesheet]')];
          const h1 = document.querySelector('h1');
          return sheets.length > 0 && sheets.every(link => link.sheet && link.sheet.cssRules.length > 0)
            && h1 !== null && getComputedStyle(h1).fontFamily.includes('Noto Sans')
            && document.fonts.check('700 16px "Noto Sans"');
        }"""
    )
    assert styled, f"{where}: the portal's CSS or fonts did not apply (or the page has no h1)"
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n{format_violations(violations)}"


FOCUS_YELLOW = "rgb(255, 221, 0)"

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.getAttribute('href') ? '[href="' + e.getAttribute('href') + '"]' : '')
    + ' "' + (e.textContent || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 30) + '"';
  return {
    name: name,
    key: name + '@' + [...document.querySelectorAll('*')].indexOf(e),
    // GOV.UK Frontend draws the focus of radios and checkboxes on their label.
    drawnOnLabel: e.matches('.govuk-radios__input, .govuk-checkboxes__input'),
    background: s.backgroundColor,
    outline: s.outlineStyle === 'none' ? '' : s.outlineColor,
  };
}"""


def keyboard_check(page, *, max_stops: int = 60) -> list[str]:
    """Tab through every focusable element of the page: each shows GOV.UK Frontend's yellow focus
    state and stays readable while focused (axe's colour-contrast rule on the focused element).
    Returns the names of the elements in tab order."""
    where = urlsplit(page.url).path
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    seen: list[str] = []
    faults: list[str] = []
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if focused["key"] in seen:
            break
        seen.append(focused["key"])
        if not focused["drawnOnLabel"] and FOCUS_YELLOW not in (focused["background"], focused["outline"]):
            faults.append(f"{focused['name']}: no visible focus state (background {focused['background']})")
        contrast = page.evaluate(
            "() => axe.run(document.activeElement, {runOnly: ['color-contrast']})"
            ".then(r => r.violations.flatMap(v => v.nodes.map(n => n.failureSummary.replace(/\\n/g, ' '))))"
        )
        faults.extend(f"{focused['name']} focused: {summary}" for summary in contrast)
    assert seen, f"{where}: nothing takes the keyboard focus"
    assert not faults, f"{where}: keyboard focus problems:\n" + "\n".join(faults)
    # The tab order is a cycle that began wherever the focus was: start it at the top of the page.
    first = min(range(len(seen)), key=lambda i: int(seen[i].rsplit("@", 1)[1]))
    return [key.rsplit("@", 1)[0] for key in seen[first:] + seen[:first]]


def sms_code(outbox: list[dict[str, str]], phone: str) -> str:
    """The 6-digit code of the last SMS sent to the phone."""
    texts = [message["text"] for message in outbox if message["to"] == phone]
    assert texts, f"no SMS to {phone}; outbox: {outbox!r}"
    match = re.search(r"\b(\d{6})\b", texts[-1])
    assert match, f"no 6-digit code in {texts[-1]!r}"
    return match.group(1)


def back_office_sign_in(page, user, password: str) -> None:
    """Sign a staff user in to the back office with a new TOTP device, on one page: IIN, password and
    the device's current code (the only device is chosen for them: osms/core/admin_site.py)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/ru/admin/login/")
    assert page.locator("#id_otp_device").count() == 0  # no device to choose before the first round
    page.fill("#id_username", user.iin)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    page.locator("input[type=submit]:not([name=otp_challenge])").click()
    page.wait_for_url(re.compile(r".*/ru/admin/$"))
