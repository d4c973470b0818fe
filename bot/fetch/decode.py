"""Bytes of a fetched page → text: byte-order mark, then the HTTP header, then <meta>, then detection."""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Covers both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252, and real pages labelled latin-1 use its extra characters.
# Text codecs that are no web charset: they decode only special input and raise on anything else.
_NOT_CHARSETS = {"idna", "punycode", "undefined"}
_AS_WINDOWS_1252 = {"latin1", "latin_1", "iso8859_1", "iso_8859_1", "ascii", "us_ascii", "cp819"}


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown or not a text encoding.

    `codecs.lookup` also finds bytes-to-bytes and str-to-str codecs (rot13, base64, hex, zlib_codec, uu,
    bz2): a page labelled with one of those is treated as unlabelled, never decoded with it."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    name = info.name
    return "cp1252" if name.replace("-", "_") in _AS_WINDOWS_1252 else name


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _detect(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of trafilatura
        return None
    best = from_bytes(body[:200_000]).best()
    return normalize_charset(best.encoding) if best is not None else None


def decode_body(body: bytes, header_charset: str | None, *, html: bool = True) -> tuple[str, str]:
    """Decode a page; returns (text, codec used). Never raises: undecodable bytes become U+FFFD."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec
    declared = [normalize_charset(header_charset)]
    if html:
        declared.append(normalize_charset(meta_charset(body)))
    for codec in declared:
        if codec is None:
            continue
        try:
            return body.decode(codec), codec
        except UnicodeError:
            # A wrong label is common (utf-8 declared, cp1252 served): fall through to detection.
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Detection needs a fair sample; on a few words it guesses wildly, and windows-1252 is the likeliest
    # truth for a short page that is not UTF-8.
    codec = (_detect(body) if len(body) >= 2048 else None) or "cp1252"
    return body.decode(codec, "replace"), codec
