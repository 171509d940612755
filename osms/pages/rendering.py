"""Rendering one block of a page's content template, and reading the sections of the result.

A content template is a file of three top-level blocks (catalogue.py). Rendering a block on its
own gives the title for a list, the summary for a search result, the body for the page and for
the search index, all from the one file, with no page shell around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

_SPACES = re.compile(r"\s+")


def render_blocks(template: str, names: tuple[str, ...], context: dict[str, Any]) -> dict[str, SafeString]:
    """The named top-level blocks of `template`, rendered with `context` (autoescaped)."""
    compiled = get_template(template).template  # the engine's Template inside the backend wrapper
    blocks = {node.name: node for node in compiled.nodelist.get_nodes_by_type(BlockNode)}
    missing = [name for name in names if name not in blocks]
    if missing:
        raise LookupError(f"{template} has no block {', '.join(missing)}")
    ctx = Context(context, autoescape=True)
    rendered: dict[str, SafeString] = {}
    with ctx.render_context.push_state(compiled), ctx.bind_template(compiled):
        for name in names:
            rendered[name] = mark_safe(blocks[name].render(ctx).strip())  # noqa: S308 - our own template's output  # nosec B308 B703 # the output of our own template, rendered with autoescape
    return rendered


def plain(html: str) -> str:
    """Text of a fragment with its whitespace collapsed (titles and summaries are plain text)."""
    return _SPACES.sub(" ", strip_tags(html)).strip()


@dataclass
class Section:
    """A part of a page's body under one heading with an id (or the part before the first one)."""

    anchor: str  # "" for the text before the first heading
    heading: str
    level: int  # 2 for h2, 3 for h3; 0 for the opening part
    text: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return _SPACES.sub(" ", " ".join(self.text)).strip()


class _SectionReader(HTMLParser):
    """Splits a body at its h2/h3 headings that have an id; gathers the text of each part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = [Section(anchor="", heading="", level=0)]
        self._heading: Section | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("h2", "h3"):
            anchor = dict(attrs).get("id") or ""
            if anchor:
                self._heading = Section(anchor=anchor, heading="", level=int(tag[1]))
                self.sections.append(self._heading)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("h2", "h3") and self._heading is not None:
            self._heading.heading = _SPACES.sub(" ", self._heading.heading).strip()
            self._heading = None
        elif tag in ("p", "li", "td", "th", "dt", "dd", "caption", "div"):
            self.sections[-1].text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._heading is not None:
            self._heading.heading += data
        else:
            self.sections[-1].text.append(data)


def sections(body: str) -> list[Section]:
    """The body's parts: the opening text, then one per h2/h3 heading that has an id."""
    reader = _SectionReader()
    reader.feed(body)
    reader.close()
    return reader.sections
