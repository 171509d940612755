"""Reading a payments file for the bulk import (importers/bulk.py) in blocks of whole lines,
decoded a block at a time; a block that is not UTF-8 is decoded line by line, so one bad line is
still rejected with its number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from . import parsing
from .parsing import Line

BLOCK_BYTES = 8 << 20  # ~70 000 rows: the columnar check's unit


def read_header(stream: BinaryIO) -> tuple[Line | None, int]:
    """The first non-blank line (the header) read with readline, so the stream is left exactly
    after it; and the number of the line that follows. As parsing.read_lines: BOM dropped."""
    number = 0
    while True:
        raw = stream.readline()
        if not raw:
            return None, number + 1
        number += 1
        size = len(raw)
        if number == 1 and raw.startswith(parsing.BOM):
            raw = raw[len(parsing.BOM) :]
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            return Line(number=number, text=_decode(raw), size=size), number + 1


def read_blocks(stream: BinaryIO, *, first_number: int, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple]:
    """Blocks of lines: (number of the block's first line, [text, or None if not UTF-8], bytes).

    Line numbers count every line of the file; line ends are removed; blank lines come as ""
    or whitespace (callers skip them)."""
    number = first_number
    rest = b""
    while True:
        block = stream.read(block_bytes)
        if block:
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest, block, size = block[cut:], block[: cut - 1], cut
        elif rest:
            block, rest, size = rest, b"", len(rest)
        else:
            return
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            texts = [_decode(raw.rstrip(b"\r")) for raw in block.split(b"\n")]
        else:
            texts = text.split("\n")
            if "\r" in text:
                texts = [line.rstrip("\r") for line in texts]
        yield number, texts, size
        number += len(texts)


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
