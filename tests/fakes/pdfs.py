"""PDFs made in the tests, never downloaded: a small writer of valid PDF 1.4 files with a real text layer.

    text_pdf("Title\\n\\nFirst paragraph...")        # paragraphs wrapped into lines, pages as needed
    text_pdf(pages=[["line", "line"], ["line"]])      # or exact lines per page
    scanned_pdf(3)                                    # pages with drawings and no text at all
    encrypted(text_pdf(...), user_password="secret")  # pypdf encrypts it

Text is set in Helvetica with WinAnsiEncoding (what word processors write for Latin text), so curly
quotes and accented letters survive extraction.
"""

from __future__ import annotations

import io
import textwrap
import zlib

LINE_CHARS = 88
LINES_PER_PAGE = 48


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", "replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b")")


def _content(lines: list[str]) -> bytes:
    parts = [b"BT /F1 11 Tf 13 TL 56 780 Td"]
    for line in lines:
        parts.append(_pdf_string(line) + b" Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    """Paragraphs (blank-line separated) → printed lines, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        lines += textwrap.wrap(" ".join(paragraph.split()), width) or [""]
        lines.append("")
    return lines[:-1]


def build(page_contents: list[bytes], *, title: str | None = None, compress: bool = True) -> bytes:
    """A PDF whose pages draw the given content streams (objects, xref table and trailer written by hand)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids: list[int] = []
    for content in page_contents:
        data = zlib.compress(content) if compress else content
        filters = b" /Filter /FlateDecode" if compress else b""
        stream = add(b"<< /Length %d%s >>\nstream\n" % (len(data), filters) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, stream, font)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = add(b"<< /Title %s /Producer (newsbot tests) >>" % _pdf_string(title)) if title else None

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_pdf(text: str | None = None, *, pages: list[list[str]] | None = None, title: str | None = None,
             compress: bool = True) -> bytes:
    """A PDF with a text layer: `text` wrapped and paginated, or `pages` of exact lines."""
    if pages is None:
        lines = wrap(text or "")
        pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    return build([_content(page) for page in pages], title=title, compress=compress)


def scanned_pdf(page_count: int = 2) -> bytes:
    """What a scanner makes, for text purposes: pages that draw shapes (the 'image') and hold no text."""
    drawing = b"0.2 g 56 500 500 280 re f 0.6 g 56 100 500 360 re f"
    return build([drawing] * page_count)


def encrypted(pdf: bytes, *, user_password: str = "secret", owner_password: str = "owner",
              algorithm: str = "AES-128") -> bytes:
    """The same PDF encrypted by pypdf; an empty user password opens it without asking (owner-only lock)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
