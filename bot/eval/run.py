"""Running the offline engine over gold documents, in this process, the way `newsbot batch` does for a
{"id", "text"} line; and the engine's per-rule hit counts when it keeps them."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Mapping
from types import ModuleType

from bot.analysis import offline
from bot.eval.metrics import Scores, score_document
from bot.fetch.extract import article_from_text

RULES_MODULE = "bot.analysis.offline.rules"


def analyze_text(text: str, id: str | None = None) -> dict:
    return offline.analyze(article_from_text(text), id).to_dict()


def rules_module() -> ModuleType | None:
    """The engine's rule registry, if this version of the engine has one (it counts hits per rule)."""
    if importlib.util.find_spec(RULES_MODULE) is None:
        return None
    module = importlib.import_module(RULES_MODULE)
    return module if hasattr(module, "rule_hits") and hasattr(module, "reset_rule_hits") else None


def score(docs: Iterable[Mapping]) -> tuple[Scores, dict[str, int] | None, dict[str, dict]]:
    """Scores over `docs`, the rule hits of this run (None without a rule registry), and the analyses."""
    rules = rules_module()
    if rules is not None:
        rules.reset_rule_hits()
    scores = Scores()
    analyses: dict[str, dict] = {}
    for doc in docs:
        analysis = analyze_text(doc["text"], doc["id"])
        analyses[doc["id"]] = analysis
        score_document(scores, doc, analysis)
    hits = dict(rules.rule_hits()) if rules is not None else None
    return scores, hits, analyses
