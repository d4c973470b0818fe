"""PDF bytes → Article: the text layer of the first pages, reflowed from printed lines into paragraphs.

pypdf is pure Python and takes tens of milliseconds a page, so callers run this in a worker thread (or
process), never on the event loop. A scan has no text layer and a password-protected file cannot be
opened without its password: both are answered plainly, as FetchErrors like every other failure to read.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from ..analysis.language import detect as detect_language
from ..analysis.model import Article, Source
from .errors import FetchError
from .kind import text_kind_and_title, url_says_opinion
from .pdf_layout import page_text, reflow

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_PAGES = 50

# Titles a PDF's metadata carries that are not the document's title.
_JUNK_TITLE = re.compile(r"^(untitled|document\d*|microsoft (word|powerpoint) - .*|.*\.(docx?|pdf|indd|tex))$",
                         re.IGNORECASE)


class PDFError(FetchError):
    code = "pdf_error"


class NotAPDF(PDFError):
    code = "not_a_pdf"

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__("That file isn't a PDF (it doesn't start with %PDF), so I couldn't read it", url=url)


class DamagedPDF(PDFError):
    code = "damaged_pdf"

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__("That PDF is damaged or incomplete (cut short?), so I couldn't read it", url=url)


class EncryptedPDF(PDFError):
    code = "encrypted_pdf"

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__("That PDF is password-protected, so I can't read it; paste its text instead", url=url)


class NoTextLayer(PDFError):
    code = "no_text_layer"

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__("This PDF has no text layer (a scan?), so there is no text for me to read; "
                         "paste its text instead", url=url)


def looks_like_pdf(body: bytes) -> bool:
    """The %PDF- header; readers accept it anywhere in the first 1 KB, after junk some servers prepend."""
    return PDF_MAGIC in body[:1024]


@dataclass(frozen=True)
class PDFText:
    text: str
    pages_read: int
    pages_total: int
    pages_failed: int
    title: str | None
    author: str | None
    language: str | None = None  # the document's declared language (/Lang), e.g. "en-GB"


def read_pdf(body: bytes, *, max_pages: int = DEFAULT_MAX_PAGES, url: str | None = None) -> PDFText:
    """The text of the first `max_pages` pages, reflowed. Raises a PDFError for what can't be read."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if not looks_like_pdf(body):
        raise NotAPDF(url=url)
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):  # an owner-only lock opens with no password
            raise EncryptedPDF(url=url)
        total = len(reader.pages)
        metadata = reader.metadata
        declared = reader.root_object.get("/Lang")
    except PDFError:
        raise
    except (DependencyError, FileNotDecryptedError):
        raise EncryptedPDF(url=url) from None
    except Exception as error:  # a parser on untrusted bytes fails in every way there is
        log.info("unreadable PDF from %s: %s: %s", url, type(error).__name__, error)
        raise DamagedPDF(url=url) from None
    pages: list[str] = []
    failed = 0
    for page in reader.pages[:max_pages]:
        try:
            pages.append(page_text(page))
        except Exception as error:  # one broken page must not cost the rest
            log.info("page of PDF from %s unreadable: %s: %s", url, type(error).__name__, error)
            failed += 1
    if failed and not pages:
        raise DamagedPDF(url=url)
    text = reflow(pages)
    words = len(re.findall(r"\w+", text))
    if words < 3 * max(len(pages), 1) and words < 25:
        raise NoTextLayer(url=url)
    return PDFText(text=text, pages_read=len(pages) + failed, pages_total=total, pages_failed=failed,
                   title=_meta(metadata, "title"), author=_meta(metadata, "author"),
                   language=str(declared) if declared else None)


def _meta(metadata: object, field: str) -> str | None:
    try:
        value = getattr(metadata, field, None)
    except Exception:  # malformed metadata is no reason to refuse the text
        return None
    value = " ".join(str(value).split()) if value else ""
    if not value or len(value) > 250 or (field == "title" and _JUNK_TITLE.match(value)):
        return None
    return value


def article_from_pdf(body: bytes, url: str | None = None, *, max_pages: int = DEFAULT_MAX_PAGES,
                     name: str | None = None) -> Article:
    """A PDF as an Article: its reflowed text, a title (metadata, else the top lines), notes on pages not read."""
    pdf = read_pdf(body, max_pages=max_pages, url=url)
    kind, top_title = text_kind_and_title(pdf.text)
    if url_says_opinion(url):
        kind = "opinion"
    source = Source(url=url, title=pdf.title or top_title or name, site=None if url else name,
                    author=pdf.author, language=detect_language(pdf.text, pdf.language), kind=kind)
    warnings: list[str] = []
    if pdf.pages_total > pdf.pages_read:
        warnings.append(f"Only the first {pdf.pages_read} of the PDF's {pdf.pages_total} pages were read "
                        "(NEWSBOT_PDF_MAX_PAGES)")
    if pdf.pages_failed:
        warnings.append(f"{pdf.pages_failed} of the PDF's pages could not be read and were skipped")
    return Article(text=pdf.text, source=source, warnings=warnings)
