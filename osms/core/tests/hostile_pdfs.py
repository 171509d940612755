"""Hostile PDFs for the upload tests, written by hand: what no well-behaved writer produces."""

from __future__ import annotations

import zlib


def _xref_stream_pdf(objects: dict[int, bytes], packed: dict[int, bytes], root: int) -> bytes:
    """A PDF 1.7 file: `objects` at offsets, `packed` inside one compressed object stream, and a
    cross-reference stream that points at both."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num, body in objects.items():
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    stream_num = max([*objects, *packed]) + 1
    parts, index, position = [], [], 0
    for num, body in packed.items():
        index.append(b"%d %d" % (num, position))
        parts.append(body)
        position += len(body) + 1
    header = b" ".join(index) + b"\n"
    data = zlib.compress(header + b"\n".join(parts) + b"\n")
    offsets[stream_num] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (stream_num, len(packed), len(header), len(data))
        + data
        + b"\nendstream\nendobj\n"
    )
    xref_num = stream_num + 1
    size = xref_num + 1
    rows = bytearray(b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big"))
    packed_index = {num: i for i, num in enumerate(packed)}
    for num in range(1, size):
        if num == xref_num:
            rows += b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00"
        elif num in offsets:
            rows += b"\x01" + offsets[num].to_bytes(4, "big") + b"\x00\x00"
        elif num in packed_index:
            rows += b"\x02" + stream_num.to_bytes(4, "big") + packed_index[num].to_bytes(2, "big")
        else:
            rows += b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"
    xref_offset = len(out)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\nstream\n"
        % (xref_num, size, root, len(rows))
        + bytes(rows)
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return bytes(out)


PAGES = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def packed_pdf(catalog: bytes, extra: dict[int, bytes] | None = None) -> bytes:
    """The catalog (object 1) and `extra` objects hidden in a compressed object stream."""
    return _xref_stream_pdf(objects=PAGES, packed={1: catalog, **(extra or {})}, root=1)


def plain_pdf(catalog: bytes, extra: dict[int, bytes] | None = None) -> bytes:
    """Every object at an offset, written as given (escaped names stay escaped in the bytes)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    objects = {1: catalog, **PAGES, **(extra or {})}
    for num in sorted(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
