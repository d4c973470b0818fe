"""Secrets out of text that came from elsewhere (a model server's reply, Slack's error body, a response_url's
answer) before it is logged: a hostile or broken server that echoes our request headers must not put the
key into the log.

    log.warning("odd reply: %s", redact(body))

Known secrets (the configured tokens and keys) are registered with `remember` at start-up and replaced
wherever they appear; the usual shapes of credentials (`Authorization: Bearer …`, Slack and OpenAI token
prefixes, `api_key=…`) are replaced even when they are someone else's.

Libraries log remote text of their own at DEBUG (slack_sdk logs every response body), out of reach of any
call site: `protect(handler)` puts the same helper on a log handler, so nothing it writes carries a secret.
"""

from __future__ import annotations

import logging
import re

MASK = "[redacted]"

_SHAPES = (
    # Authorization: Bearer x / Basic x, as a header line, a JSON field or a repr of a dict.
    re.compile(r"""(?i)(\b(?:proxy-)?authorization['"]?\s*[:=]\s*['"]?)(?:(?:bearer|basic|token)\s+)?[^\s'"<>,;]+"""),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{4,}"),
    re.compile(r"""(?i)(\b(?:x-)?api[-_]?key['"]?\s*[:=]\s*['"]?)[^\s'"<>,;&]+"""),
    re.compile(r"""(?i)(\b(?:signing[-_]secret|client[-_]secret|access[-_]token|bot[-_]token|app[-_]token|password)['"]?\s*[:=]\s*['"]?)[^\s'"<>,;&]+"""),
    re.compile(r"()\bxox[a-z]-[A-Za-z0-9-]{4,}"),  # Slack bot, user and refresh tokens
    re.compile(r"()\bxapp-[A-Za-z0-9-]{4,}"),  # Slack app-level tokens
    re.compile(r"()\bsk-[A-Za-z0-9_-]{8,}"),  # OpenAI-style keys
)
_known: set[str] = set()


def remember(*secrets: str | None) -> None:
    """Register secret values (tokens, keys) to be masked wherever they appear in logged remote text."""
    for secret in secrets:
        if secret and len(secret.strip()) >= 4:
            _known.add(secret.strip())


def redact(text: object) -> str:
    """`text` (or its str()) with every known secret and every credential-shaped string masked."""
    out = text if isinstance(text, str) else str(text)
    for secret in sorted(_known, key=len, reverse=True):
        out = out.replace(secret, MASK)
    for shape in _SHAPES:
        out = shape.sub(lambda m: m.group(1) + MASK, out)
    return out


class RedactingFilter(logging.Filter):
    """Masks secrets in every record a handler writes, its traceback included."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def protect(*handlers: logging.Handler) -> None:
    """Redact everything these handlers (default: the root logger's) write."""
    for handler in handlers or tuple(logging.getLogger().handlers):
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
