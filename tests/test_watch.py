"""bot.memory.watch: what the watch list keeps of a claim, and the first cut before any decision, which must
never skip a claim the offline rules would follow up or the model's judge would be shown (checked on every
earlier/later text of the eval pairs)."""

from __future__ import annotations

import pytest

from bot.analysis import offline
from bot.eval.followups import load_pairs
from bot.fetch.extract import article_from_text
from bot.memory.followups import RELAXED_OVERLAP, RELAXED_WORDS, Watched, follow_up, relatedness, watched
from bot.memory.watch import article_keys, claim_key, may_follow, names


@pytest.fixture(scope="module")
def texts():
    pairs = load_pairs()
    earlier = [offline.analyze(article_from_text(p["earlier"]), "e") for p in pairs]
    later = [offline.analyze(article_from_text(p["later"]), "l") for p in pairs]
    return earlier, later


def test_claim_key_is_the_text_and_the_sentence():
    assert claim_key("h1", "Carver may close.") == claim_key("h1", "Carver may close.")
    assert claim_key("h1", "Carver may close.") != claim_key("h2", "Carver may close.")
    assert claim_key("h1", "Carver may close.") != claim_key("h1", "Carver may open.")


def test_names_are_the_prefixes_of_the_claims_capitalised_words_and_numbers():
    claim = Watched(0, "Carver Motors will reportedly close its Dayton plant, cutting 1,200 jobs.", "hedged",
                    ("reportedly",))
    assert set(names(claim)) >= {"carv", "moto", "dayt"}
    assert "plan" not in names(claim) and "repo" not in names(claim)


def test_the_first_cut_never_skips_what_the_matcher_would_follow_up(texts):
    earlier, later = texts
    related = skipped = 0
    for old in earlier:
        for claim in watched(old):
            for new in later:
                keys = article_keys(new)
                sentences = [new.text[s.start:s.end].strip() for s in new.sentences]
                # The model's judge is shown the sentences a relaxed relatedness picks: a superset of the
                # offline rules' related sentences, and the first cut must keep them all too.
                if any(relatedness(claim.text, s, claim.cues, min_words=RELAXED_WORDS, min_overlap=RELAXED_OVERLAP)
                       for s in sentences):
                    related += 1
                    assert may_follow(names(claim), keys), (claim.text, new.text)
                elif not may_follow(names(claim), keys):
                    skipped += 1
                    assert follow_up(claim, new) is None
    assert related >= len(earlier) // 2  # the pairs that belong together are related...
    assert skipped > related  # ...and most of the others never reach the matcher
