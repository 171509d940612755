"""Active content in a PDF, found in its object tree rather than by a pattern over raw bytes
(docs/adr/0012-upload-pipeline.md).

Every object the file declares is read with pypdf — those at an offset in the cross-reference
table or stream and those packed inside compressed object streams — and every dictionary, array
and stream dictionary in it is walked. pypdf decodes names, so `/J#61vaScript` is `/JavaScript`
here. Then, for what a lenient viewer might rebuild from a damaged file, the names written in the
file outside stream data and inside every object stream (decompressed) are read too, with their
`#xx` escapes decoded. A forbidden name anywhere — as a key or as a value — refuses the file.

Allowed: `/URI` links (they open only when the reader clicks, with the viewer's own warning, and
official certificates carry verification links), `/GoTo` inside the document, plain forms (AcroForm
without submit actions).
"""

from __future__ import annotations

import re
import zlib

# Name (decoded) -> what it is; the upload's message is chosen by the kind.
FORBIDDEN: dict[str, str] = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/OpenAction": "auto_action",
    "/AA": "auto_action",
    "/EmbeddedFile": "embedded_file",
    "/EmbeddedFiles": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/GoToE": "embedded_file",
    "/Launch": "launch",
    "/GoToR": "launch",  # opens another file (and, on Windows, can leak the user's credentials)
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/XFA": "xfa",
    "/RichMedia": "rich_media",
    "/Rendition": "rich_media",  # media renditions may carry their own scripts
    "/Movie": "rich_media",
    "/Sound": "rich_media",
}
# A literal string (one level of nested brackets), a comment, or a name: strings and comments are
# skipped, so a link such as (https://example.kz/JS/) is not taken for the name /JS.
_TOKEN = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|%[^\r\n]*|(/[^\s/<>\[\]()%{}]*)", re.DOTALL)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_MAX_NODES = 500_000  # a 10 MB file has far fewer; a crafted loop of references stops here
_MAX_OBJECT_STREAM = 20 * 1024 * 1024  # decompressed, per object stream


class PdfActiveContent(Exception):
    def __init__(self, kind: str, name: str):
        super().__init__(f"{name} ({kind})")
        self.kind = kind
        self.name = name


def _refuse_name(name: str) -> None:
    kind = FORBIDDEN.get(name)
    if kind is not None:
        raise PdfActiveContent(kind, name)


def _decode_name(raw: bytes) -> str:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def scan_names(data: bytes) -> None:
    """Every name token in PDF syntax (outside strings and comments), `#xx` escapes decoded."""
    for match in _TOKEN.finditer(data):
        if match.group(1):
            _refuse_name(_decode_name(match.group(1)))


def _walk(root) -> None:
    """Every dictionary key, name value, array item and stream dictionary reachable inside one object
    (references to other objects are not followed: every object is visited on its own)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack, seen = [root], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > _MAX_NODES:
            raise ValueError("too many objects")
        if isinstance(node, IndirectObject):
            continue
        if isinstance(node, NameObject):
            _refuse_name(str(node))
        elif isinstance(node, DictionaryObject):  # stream objects are dictionaries too
            for key, value in node.items():
                _refuse_name(str(key))
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _object_numbers(reader) -> list[tuple[int, int]]:
    numbers = [(num, gen) for gen, table in reader.xref.items() for num in table]
    numbers += [(num, 0) for num in reader.xref_objStm]
    return sorted(set(numbers))


def _object_stream_text(stream) -> bytes:
    """An object stream's objects as text (Flate only: other filters fall to pypdf's decoder)."""
    raw = stream._data  # the bytes as stored, so that the decompressed size can be bounded
    filters = stream.get("/Filter")
    if filters == "/FlateDecode" and not stream.get("/DecodeParms"):
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, _MAX_OBJECT_STREAM)
        except zlib.error as exc:
            raise ValueError("object stream does not decompress") from exc
        if inflater.unconsumed_tail:
            raise ValueError("object stream too large")
        return data
    return stream.get_data()[:_MAX_OBJECT_STREAM]


def inspect_pdf(reader, content: bytes) -> None:
    """Raise PdfActiveContent on the first forbidden name; ValueError and pypdf's errors on a broken file."""
    from pypdf.generic import IndirectObject, StreamObject

    _walk(reader.trailer)
    for num, gen in _object_numbers(reader):
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if obj is None:
            continue
        _walk(obj)
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
            scan_names(_object_stream_text(obj))
    # What a viewer that rebuilds a damaged file's table would find outside the table.
    scan_names(_STREAM_DATA.sub(b"stream\nendstream", content))
