"""Every setting newsbot reads, from the environment (and a `.env` file when present).

`.env.example` lists them all with a comment each. A malformed value raises ConfigError naming the setting,
so start-up stops with a message a person can act on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ENGINES = ("offline", "openai", "auto")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


def default_worker_processes() -> int:
    """Worker processes for CPU work when NEWSBOT_WORKER_PROCESSES is unset: one per core the process may
    use, at most 2 (each worker holds its own copy of the extraction and engine code, ~100 MB; a PaaS may
    report many more cores than its container gets)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def _str(env: dict[str, str], name: str, default: str | None = None) -> str | None:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = _str(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: dict[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = _str(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _opt_float(env: dict[str, str], name: str) -> float | None:
    return _float(env, name, 0.0) if _str(env, name) is not None else None


def _db(env: dict[str, str]) -> str:
    """NEWSBOT_DB; else the PostgreSQL URL a PaaS sets in DATABASE_URL when a database is attached (Heroku,
    Render, Railway, Fly: it follows their credential rotations); else the SQLite file beside the bot."""
    database_url = _str(env, "DATABASE_URL")
    if database_url and not database_url.startswith(("postgres://", "postgresql://")):
        database_url = None  # another kind of database, meant for another program
    return _str(env, "NEWSBOT_DB") or database_url or "./newsbot.sqlite"


def _list(env: dict[str, str], name: str) -> tuple[str, ...]:
    raw = _str(env, name) or ""
    return tuple(p.strip().lower() for p in raw.split(",") if p.strip())


@dataclass(frozen=True)
class Settings:
    # Slack
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    port: int = 3000
    max_links_per_message: int = 3
    max_concurrent_analyses: int = 8
    max_queued_analyses: int = 200
    # Processes for extraction and the offline engine (0: threads of the serving process)
    worker_processes: int = field(default_factory=default_worker_processes)
    # Engine
    engine: str = "auto"
    # Store
    db_path: str = "./newsbot.sqlite"
    # Fetching
    fetch_allow_hosts: tuple[str, ...] = field(default_factory=tuple)
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_failure_seconds: float = 60.0
    # Several processes: how long a dead process's claim (a link being analysed, a reply owed) stands
    lease_seconds: float = 30.0
    # Follow-ups: how many days back a new article's claims are matched against earlier ones (0: off)
    followup_days: int = 30
    # Files: PDF links and files analysed through the message shortcut
    file_max_bytes: int = 20_000_000
    pdf_max_pages: int = 50
    # LLM
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4.1-mini"
    openai_timeout: float = 120.0  # local and reasoning models take a minute or two for ~1,300 tokens
    openai_max_retries: int = 3
    openai_temperature: float | None = 0.0  # None: the server's default
    max_input_tokens: int = 12_000
    max_output_tokens: int = 4_096
    # The engine for private channels, group DMs and DMs when no channel setting says otherwise (None: as
    # everywhere else); "offline" keeps them away from every model provider.
    private_engine: str | None = None
    # The language the LLM engine writes its summary in (NEWSBOT_LANGUAGE); None: the article's own.
    language: str | None = None
    daily_token_budget: int = 0  # 0 = unlimited
    # USD per 1M tokens, for models newsbot has no list price for (local servers, new models)
    openai_price_input: float | None = None
    openai_price_output: float | None = None


def load_settings(env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings from `env` (default: the process environment, after loading `.env` if present)."""
    if env is None:
        if dotenv:
            try:
                from dotenv import find_dotenv, load_dotenv

                # The .env an admin made in the directory they run newsbot from (docs/slack-setup.md), else
                # one beside the source tree (an editable install run from elsewhere).
                load_dotenv(find_dotenv(usecwd=True) or find_dotenv(), override=False)
            except ImportError:  # pragma: no cover - python-dotenv is a declared dependency
                pass
        env = dict(os.environ)
    engine = (_str(env, "NEWSBOT_ENGINE", "auto") or "auto").lower()
    if engine not in ENGINES:
        raise ConfigError(f"NEWSBOT_ENGINE must be one of {', '.join(ENGINES)}, got {engine!r}")
    api_url = _str(env, "SLACK_API_URL")
    if api_url and not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
    if api_url and not api_url.endswith("/"):
        api_url += "/"
    private_engine = (_str(env, "NEWSBOT_PRIVATE_ENGINE") or "").lower() or None
    if private_engine is not None and private_engine not in ENGINES:
        raise ConfigError(f"NEWSBOT_PRIVATE_ENGINE must be one of {', '.join(ENGINES)}, got {private_engine!r}")
    temperature = _str(env, "OPENAI_TEMPERATURE")
    base_url = _str(env, "OPENAI_BASE_URL")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"OPENAI_BASE_URL must be an http(s) URL, got {base_url!r}")
    return Settings(
        slack_bot_token=_str(env, "SLACK_BOT_TOKEN"),
        slack_signing_secret=_str(env, "SLACK_SIGNING_SECRET"),
        slack_app_token=_str(env, "SLACK_APP_TOKEN"),
        slack_api_url=api_url,
        port=_int(env, "PORT", 3000, minimum=1),
        max_links_per_message=_int(env, "NEWSBOT_MAX_LINKS_PER_MESSAGE", 3, minimum=1),
        max_concurrent_analyses=_int(env, "NEWSBOT_MAX_CONCURRENT", 8, minimum=1),
        max_queued_analyses=_int(env, "NEWSBOT_MAX_QUEUED", 200, minimum=1),
        worker_processes=_int(env, "NEWSBOT_WORKER_PROCESSES", default_worker_processes(), minimum=0),
        engine=engine,
        db_path=_db(env),
        fetch_allow_hosts=_list(env, "NEWSBOT_FETCH_ALLOW_HOSTS"),
        fetch_timeout=_float(env, "NEWSBOT_FETCH_TIMEOUT", 10.0, minimum=0.1),
        fetch_max_bytes=_int(env, "NEWSBOT_FETCH_MAX_BYTES", 5_000_000, minimum=1),
        fetch_max_redirects=_int(env, "NEWSBOT_FETCH_MAX_REDIRECTS", 5, minimum=0),
        fetch_failure_seconds=_float(env, "NEWSBOT_FETCH_FAILURE_SECONDS", 60.0, minimum=0.0),
        lease_seconds=_float(env, "NEWSBOT_LEASE_SECONDS", 30.0, minimum=0.5),
        followup_days=_int(env, "NEWSBOT_FOLLOWUP_DAYS", 30, minimum=0),
        file_max_bytes=_int(env, "NEWSBOT_FILE_MAX_BYTES", 20_000_000, minimum=1),
        pdf_max_pages=_int(env, "NEWSBOT_PDF_MAX_PAGES", 50, minimum=1),
        openai_api_key=_str(env, "OPENAI_API_KEY"),
        openai_base_url=base_url,
        openai_model=_str(env, "OPENAI_MODEL", "gpt-4.1-mini") or "gpt-4.1-mini",
        openai_timeout=_float(env, "OPENAI_TIMEOUT", 120.0, minimum=0.1),
        openai_max_retries=_int(env, "OPENAI_MAX_RETRIES", 3, minimum=1),
        openai_temperature=None if (temperature or "").lower() == "default" else _float(env, "OPENAI_TEMPERATURE", 0.0),
        max_input_tokens=_int(env, "NEWSBOT_MAX_INPUT_TOKENS", 12_000, minimum=500),
        max_output_tokens=_int(env, "NEWSBOT_MAX_OUTPUT_TOKENS", 4_096, minimum=256),
        private_engine=private_engine,
        language=_str(env, "NEWSBOT_LANGUAGE"),
        daily_token_budget=_int(env, "NEWSBOT_DAILY_TOKEN_BUDGET", 0, minimum=0),
        openai_price_input=_opt_float(env, "NEWSBOT_LLM_PRICE_INPUT"),
        openai_price_output=_opt_float(env, "NEWSBOT_LLM_PRICE_OUTPUT"),
    )
