"""A small PDF text reader for the tests, independent of the library that wrote the PDF.

It reads each content stream (ASCII85 and Flate filters), takes the literal strings shown with
``Tj``/``TJ``, and decodes them as UTF-16BE: the encoding of the CID font (UniGB-UCS2-H) the
documents use. Lines are joined without separators, since Chinese wraps inside words.
"""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"/Length (\d+)(?P<dict>[^>]*)>>\s*stream\r?\n")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in _STREAM.finditer(pdf):
        data = pdf[match.end() : match.end() + int(match.group(1))]
        head = pdf[max(0, match.start() - 200) : match.end()]
        if b"ASCII85Decode" in head:
            data = data.strip()
            data = base64.a85decode(data[:-2] if data.endswith(b"~>") else data)
        if b"FlateDecode" in head:
            data = zlib.decompress(data)
        out.append(data)
    return out


def _literals(content: bytes) -> list[bytes]:
    """Every literal string ``( … )`` followed by a show-text operator, unescaped."""
    found, i = [], 0
    while i < len(content):
        if content[i : i + 1] != b"(":
            i += 1
            continue
        depth, i, buf = 1, i + 1, bytearray()
        while depth:
            ch = content[i : i + 1]
            if ch == b"\\":
                nxt = content[i + 1 : i + 2]
                if nxt.isdigit():
                    octal = re.match(rb"[0-7]{1,3}", content[i + 1 : i + 4]).group(0)
                    buf.append(int(octal, 8))
                    i += 1 + len(octal)
                    continue
                buf += _ESCAPES.get(nxt, nxt)
                i += 2
                continue
            if ch == b"(":
                depth += 1
            elif ch == b")":
                depth -= 1
                if not depth:
                    i += 1
                    break
            buf += ch
            i += 1
        rest = content[i : i + 8].lstrip()
        if rest.startswith((b"Tj", b"TJ", b"'", b'"', b"]")):
            found.append(bytes(buf))
    return found


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    parts = []
    for stream in _streams(pdf):
        if b"BT" not in stream:
            continue
        parts.extend(raw.decode("utf-16-be", errors="replace") for raw in _literals(stream))
    return "".join(parts)
