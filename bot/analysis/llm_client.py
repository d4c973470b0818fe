"""One chat completion, with bounded retries: the transport half of the LLM engine.

The SDK's own retries are off (max_retries=0) so that every retry is ours, counted and bounded: tenacity
retries 429, 5xx and connection errors with exponential backoff and jitter, honouring Retry-After (up to
a cap; a longer wait is a failure, not a stall). A request that timed out is not sent again (a slow
server would compute it twice) unless the server had said it was busy (429, 503).

Capabilities differ per server: a 400 to `response_format` json_schema is asked again at once in JSON
mode, a 400 to that with plain instructions (no `response_format`); a 400 naming an optional parameter
(`temperature`, `max_tokens`) asks again without it. What a server refused is remembered for the process
and logged once, with the server's own (redacted) message.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
import urllib.parse
from dataclasses import dataclass, field

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from bot.analysis.llm_answer import message_text
from bot.analysis.llm_schema import RESPONSE_FORMAT_JSON_OBJECT, response_format_json_schema
from bot.redact import redact, remember

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 30.0  # seconds; a server asking for longer gets the offline answer instead
_RETRY_STATUSES = frozenset({408, 409, 425, 429})
_BUSY_STATUSES = frozenset({429, 503, 529})  # "busy, come back": a later timeout may be the queue, not the work
JSON_MODES = ("json_schema", "json_object", "instructions")  # strictest first; "instructions": no response_format


class ModelTimeout(Exception):
    """The whole request took longer than the timeout (the SDK's timeout is per read, not total)."""


class ModelFailure(Exception):
    """The model could not answer; `reason` is short and readable, fit for the Analysis warnings."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Completion:
    content: str | None
    finish_reason: str | None
    refusal: str | None
    input_tokens: int | None
    output_tokens: int | None
    json_mode: str  # one of JSON_MODES
    problem: str | None = None  # set when the reply was not a usable chat completion
    reasoning_chars: int = 0  # reasoning the server returned beside the answer (never read as the answer)


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's Retry-After (seconds or HTTP date; OpenAI's retry-after-ms too), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def normalize_base_url(url: str | None) -> str | None:
    """OPENAI_BASE_URL as the SDK wants it. A bare server address (`http://localhost:11434`, with or
    without a trailing slash) gets `/v1`, where OpenAI, Ollama, vLLM and llama.cpp all serve the API;
    a URL with a path of its own is taken as it is."""
    if not url:
        return url
    parts = urllib.parse.urlsplit(url.strip())
    if parts.path in ("", "/"):
        parts = parts._replace(path="/v1")
    return urllib.parse.urlunsplit(parts)


def is_transient(exc: BaseException, *, busy: bool = False) -> bool:
    """Whether a retry may help. A timeout is retried only when the server had said it was busy."""
    if isinstance(exc, ModelTimeout | openai.APITimeoutError):
        return busy
    if isinstance(exc, openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        if _out_of_quota(exc):  # a billing problem: no retry will fix it
            return False
        if exc.status_code in _RETRY_STATUSES or exc.status_code >= 500:
            wait = retry_after_seconds(exc)
            return wait is None or wait <= MAX_RETRY_AFTER
    return False


def _out_of_quota(exc: openai.APIStatusError) -> bool:
    return exc.status_code == 429 and "insufficient_quota" in (getattr(exc, "code", None) or "", getattr(exc, "type", None) or "")


def server_message(exc: BaseException, limit: int = 160) -> str:
    """The server's own words about a refused request, redacted (keys, tokens) and clipped."""
    body = getattr(exc, "body", None)
    msg = body.get("message") if isinstance(body, dict) else None
    if not msg and isinstance(body, dict) and isinstance(body.get("error"), dict):
        msg = body["error"].get("message")
    text = redact(" ".join(str(msg or body or getattr(exc, "message", "") or "").split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException, timeout: float | None = None) -> str:
    """A person-readable reason for a failed request (no stack trace, no secrets)."""
    if isinstance(exc, ModelTimeout | openai.APITimeoutError):
        within = f" within {timeout:g} s" if timeout else " in time"
        return f"the model server did not answer{within} (a slow or local model may need a larger OPENAI_TIMEOUT)"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the model server"
    if isinstance(exc, openai.APIStatusError) and _out_of_quota(exc):
        return "the model account has run out of quota (HTTP 429 insufficient_quota)"
    if isinstance(exc, openai.RateLimitError):
        return "the model server is rate-limiting us (HTTP 429)"
    if isinstance(exc, openai.AuthenticationError):
        return "the model server refused the API key (HTTP 401)"
    if isinstance(exc, openai.NotFoundError):
        return "the model server answered HTTP 404 (check OPENAI_BASE_URL, usually ending in /v1, and OPENAI_MODEL)"
    if isinstance(exc, openai.APIStatusError):
        said = server_message(exc)
        return f"the model server answered HTTP {exc.status_code}" + (f" ({said})" if said else "")
    return f"the model call failed ({type(exc).__name__})"


class _Wait:
    """Retry-After when the server gives one, else exponential backoff with full jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after_seconds(exc) if exc else None
        if after is None:
            return self._backoff(state)
        # A little jitter, so that analyses told to wait together do not all come back at once.
        return min(after, MAX_RETRY_AFTER) * random.uniform(1.0, 1.1)


@dataclass
class ServerCaps:
    """What one server (base URL and model) was found to refuse; shared by every client of the process."""

    mode: int = 0  # index into JSON_MODES of the strictest mode not refused
    dropped: set[str] = field(default_factory=set)  # optional parameters the server refused


_CAPS: dict[tuple[str, str], ServerCaps] = {}
_OPTIONAL = ("max_completion_tokens", "max_tokens", "temperature")


def server_caps(base_url: str | None, model: str) -> ServerCaps:
    return _CAPS.setdefault(((base_url or "").rstrip("/"), model), ServerCaps())


def _refused_param(exc: BaseException, sent: dict) -> str | None:
    """The optional parameter a 400 names, if we sent it ("Unsupported parameter: 'max_tokens'")."""
    said = server_message(exc, 1000).lower()
    return next((p for p in _OPTIONAL if p in sent and p in said), None)


def _about_format(exc: BaseException) -> bool:
    said = server_message(exc, 1000).lower()
    return any(w in said for w in ("response_format", "json_schema", "json_object", "schema", "json mode",
                                   "structured output", "guided"))


class ChatClient:
    def __init__(
        self,
        *,
        model: str,
        api_key: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        backoff_initial: float = 0.5,
        backoff_max: float = 8.0,
        temperature: float | None = 0.0,
    ) -> None:
        self.model = model
        self.timeout = timeout
        self.max_retries = max_retries
        self.temperature = temperature
        self._wait = _Wait(backoff_initial, backoff_max)
        # OpenAI itself wants max_completion_tokens (its reasoning models refuse max_tokens); compatible
        # servers all read max_tokens.
        self._limit_param = "max_tokens" if base_url else "max_completion_tokens"
        # A local server (Ollama, vLLM, llama.cpp) takes any key; the SDK insists on one.
        self._sdk = openai.AsyncOpenAI(
            api_key=api_key or "unused", base_url=normalize_base_url(base_url), timeout=timeout, max_retries=0
        )
        self.caps = server_caps(normalize_base_url(base_url), model)
        remember(api_key)  # a server that echoes our headers back must not put the key in the log

    async def close(self) -> None:
        await self._sdk.close()

    async def complete(self, messages: list[dict[str, str]], max_tokens: int | None = None,
                       response_format: dict | None = None) -> Completion:
        """One answer, after up to `max_retries` retries of transient failures. Raises ModelFailure.
        `response_format`: the json_schema one to ask for (default: the analysis answer's, schema v1)."""
        tries = [0]
        busy = [False]  # the server said it was busy: a timeout after that may be its queue

        def retry(exc: BaseException) -> bool:
            if isinstance(exc, openai.APIStatusError) and exc.status_code in _BUSY_STATUSES:
                busy[0] = True
            return is_transient(exc, busy=busy[0])

        retrying = AsyncRetrying(
            # Bounded twice over: a number of tries, and no new try after two timeouts' worth of time.
            stop=stop_after_attempt(self.max_retries + 1) | stop_after_delay(self.timeout * 2),
            wait=self._wait,
            retry=retry_if_exception(retry),
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._create(messages, max_tokens, tries, response_format)
        except (openai.OpenAIError, ModelTimeout) as exc:
            n = tries[0]
            raise ModelFailure(describe(exc, self.timeout) + (f", after {n} tries" if n > 1 else "")) from exc
        raise ModelFailure("the model call failed")  # unreachable: tenacity returns or raises

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning(
            "model call failed (%s); retry %d of %d in %.1f s",
            describe(exc, self.timeout) if exc else "?", state.attempt_number, self.max_retries,
            state.next_action.sleep if state.next_action else 0.0,
        )

    def _params(self, max_tokens: int | None) -> dict:
        params: dict = {}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        if max_tokens:  # a server refusing max_tokens may want max_completion_tokens (Azure's reasoning models)
            limit = next((p for p in (self._limit_param, "max_completion_tokens") if p not in self.caps.dropped), None)
            if limit:
                params[limit] = max_tokens
        return {k: v for k, v in params.items() if k not in self.caps.dropped}

    async def _create(self, messages: list[dict[str, str]], max_tokens: int | None, tries: list[int],
                      schema: dict | None = None) -> Completion:
        tries[0] += 1  # per call, not per client: analyses run concurrently on one engine
        mode = self.caps.mode
        refused_params = 0
        while True:
            params = self._params(max_tokens)
            try:
                return await self._request(messages, JSON_MODES[mode], params, schema)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                param = _refused_param(exc, params)
                if param is not None and refused_params < len(_OPTIONAL):
                    refused_params += 1
                    if param not in self.caps.dropped:  # remembered, and logged once per server
                        self.caps.dropped.add(param)
                        self._log_refusal(f"parameter {param}", exc)
                    continue
                if mode + 1 >= len(JSON_MODES):
                    raise
                if _about_format(exc):  # remembered: later requests start at the next mode
                    if self.caps.mode <= mode:
                        self.caps.mode = mode + 1
                        self._log_refusal(f"response_format {JSON_MODES[mode]}", exc)
                else:  # perhaps not about the format: try the next mode for this request only
                    log.info("the model server refused %s (HTTP %s: %s); trying %s", JSON_MODES[mode],
                             exc.status_code, server_message(exc), JSON_MODES[mode + 1])
                mode += 1

    def _log_refusal(self, what: str, exc: openai.APIStatusError) -> None:
        log.warning("the model server refused %s (HTTP %s: %s); no longer sent to %s", what,
                    exc.status_code, server_message(exc), self.model)

    async def _request(self, messages: list[dict[str, str]], mode: str, params: dict,
                       schema: dict | None = None) -> Completion:
        if mode == "json_schema":
            params = {**params, "response_format": schema or response_format_json_schema()}
        elif mode == "json_object":
            params = {**params, "response_format": RESPONSE_FORMAT_JSON_OBJECT}
        try:
            async with asyncio.timeout(self.timeout * 1.5 + 1):
                resp = await self._sdk.chat.completions.create(
                    model=self.model, messages=messages, **params  # type: ignore[arg-type]
                )
        except TimeoutError:
            raise ModelTimeout() from None
        except ValueError as exc:  # a 200 whose body is not JSON (a proxy's error page, say)
            log.warning("the model server's reply was not JSON: %s", redact(exc))
            return Completion(None, None, None, None, None, mode, problem="the reply was not JSON")
        if not hasattr(resp, "choices"):
            # A 200 whose body the SDK could not read as JSON (a proxy's HTML page served as text/html)
            # comes back as a plain string, not a ChatCompletion.
            log.warning("the model server's reply was not a chat completion: %.200r", redact(resp))
            return Completion(None, None, None, None, None, mode, problem="the reply was not a chat completion")
        choice = resp.choices[0] if resp.choices else None
        message = getattr(choice, "message", None)
        usage = getattr(resp, "usage", None)
        # Reasoning servers put the model's thinking beside the answer; it is never read as the answer.
        reasoning = getattr(message, "reasoning_content", None) or getattr(message, "reasoning", None)
        return Completion(
            content=message_text(getattr(message, "content", None)),
            finish_reason=getattr(choice, "finish_reason", None),
            refusal=getattr(message, "refusal", None),
            input_tokens=getattr(usage, "prompt_tokens", None),
            output_tokens=getattr(usage, "completion_tokens", None),
            json_mode=mode,
            problem=None if message is not None else "the reply had no message",
            reasoning_chars=len(reasoning) if isinstance(reasoning, str) else 0,
        )
