"""The LLM prompts: versioned text files in prompts/, rendered with the article as numbered sentences.

The article is untrusted data, so it is fenced by a random boundary marker that the article cannot know
in advance (spotlighting); the marker is named in the system prompt too.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template

from bot.analysis.model import Sentence

PROMPT_NAME = "analyze"
PROMPT_VERSION = "v2"  # v2: the summary is written in a named language
PROMPT_ID = f"{PROMPT_NAME}.{PROMPT_VERSION}"

_WS = re.compile(r"\s+")


def prompts_dir() -> Path:
    """NEWSBOT_PROMPTS_DIR, else prompts/ of the checkout, else the copy installed as bot.prompts."""
    override = os.environ.get("NEWSBOT_PROMPTS_DIR")
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("bot.prompts")))


@lru_cache(maxsize=8)
def load(prompt_id: str = PROMPT_ID) -> tuple[str, str]:
    """(system template, user template) of a prompt version."""
    base = prompts_dir()
    return (
        (base / f"{prompt_id}.system.txt").read_text(encoding="utf-8"),
        (base / f"{prompt_id}.user.txt").read_text(encoding="utf-8"),
    )


def new_boundary() -> str:
    return f"<<<ARTICLE-{secrets.token_hex(8)}>>>"


def sentence_line(text: str, sentence: Sentence) -> str:
    # One sentence per line: inner line breaks would blur where a numbered sentence ends.
    return f"[S{sentence.id}] {_WS.sub(' ', text[sentence.start : sentence.end]).strip()}"


MAX_TITLE_CHARS = 300  # a page's <title> is untrusted too: a huge one must not crowd out the article


def _title(title: str | None) -> str:
    t = _WS.sub(" ", title or "").strip()
    if len(t) > MAX_TITLE_CHARS:
        t = t[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return t or "(none)"


@dataclass(frozen=True)
class RenderedPrompt:
    messages: list[dict[str, str]]
    boundary: str


ARTICLE_LANGUAGE = "the language the article is written in"


def render(
    text: str, sentences: list[Sentence], title: str | None = None, note: str = "", prompt_id: str = PROMPT_ID,
    summary_language: str = ARTICLE_LANGUAGE,
) -> RenderedPrompt:
    """Chat messages for `sentences` of `text` (already trimmed to the token budget by the caller)."""
    system_t, user_t = load(prompt_id)
    body = "\n".join(sentence_line(text, s) for s in sentences)
    boundary = new_boundary()
    while boundary in body or (title and boundary in title):  # practically never; cheap to be sure
        boundary = new_boundary()
    values = {
        "boundary": boundary,
        "title": _title(title),
        "sentences": body,
        "note": f"\n{note}" if note else "",
        "summary_language": summary_language,
    }
    return RenderedPrompt(
        messages=[
            {"role": "system", "content": Template(system_t).substitute(values)},
            {"role": "user", "content": Template(user_t).substitute(values)},
        ],
        boundary=boundary,
    )
