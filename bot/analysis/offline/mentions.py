"""Stage 4, mentions: what a speaker phrase names — a person with a title, an organisation, a group,
someone unnamed, a pronoun, the author.

A phrase is read from word tokens with the title and organisation lexicons: "Russian President Vladimir
Putin" splits into a name and a title, "U.S. officials" is a group, "a person familiar with the matter" is
unnamed, "the Institute for the Study of War" an organisation. The layouts are the rules of stage
"mention", tried in order.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.offline.doc import Token
from bot.analysis.offline.lexicon import tagged, words

HONORIFICS = words("titles", "honorific")


ROLES = words("titles", "role")


MODIFIERS = words("titles", "modifier")


GROUPS = words("titles", "group")


UNNAMED = words("titles", "unnamed")


ORGS = words("organizations_words", "org")


PLACES = words("organizations_words", "place")


TITLE_WORDS = ROLES | MODIFIERS


DOCUMENTS = words("mention_words", "document")


PRONOUNS = words("function_words", "pronoun")


AUTHOR = words("function_words", "author_pronoun")


DETERMINERS = words("function_words", "det")


# Capitalised words that start sentences or name times, never people.
FUNCTION_CAPS = words("function_words", "function_cap") | words("function_words", "opening_participle")


_INNER = words("mention_words", "name_inner")


_FEMALE = words("mention_words", "female_word")


_MALE = words("mention_words", "male_word")


DEMONYMS = words("mention_words", "demonym")


_FIRM_ENDINGS = words("mention_words", "firm_ending")


# words with an agent's ending (-er, -or, -ian) that name no one
NOT_AGENTS = words("mention_words", "not_agent")


@dataclass(slots=True)
class Mention:
    """A speaker phrase as read from the text, before resolution."""

    kind: str  # person | organization | group | unnamed | pronoun | author
    name: str
    title: str | None
    start: int
    end: int
    gender: str | None = None


def is_name_word(t: Token) -> bool:
    low = t.lower
    if not t.is_cap or low in FUNCTION_CAPS or low in HONORIFICS:
        return False
    return t.text[0].isalpha() and (not t.text.isupper() or len(t.text) <= 3)


_HONORIFIC_GENDER = {**dict.fromkeys(tagged("titles", "male"), "m"), **dict.fromkeys(tagged("titles", "female"), "f")}


def gender_of(tokens: list[Token], name: str | None = None) -> str | None:
    """Gender from an honorific, else from a given name, else from a role word ("spokesman" is written of
    women too: "Trump spokesman Hope Hicks")."""
    for t in tokens:
        if t.lower in _HONORIFIC_GENDER:
            return _HONORIFIC_GENDER[t.lower]
    given = _given_name_gender(name) if name else None
    if given:
        return given
    for t in tokens:
        if t.lower in _FEMALE:
            return "f"
        if t.lower in _MALE and not t.lower.endswith("man"):  # "chairman", "spokesman": said of women too
            return "m"
    return None


def _span_text(text: str, tokens: list[Token]) -> str:
    return text[tokens[0].start:tokens[-1].end] if tokens else ""


def strip_possessive(s: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if s.endswith(suffix):
            return s[: -len(suffix)]
    return s


def classify(text: str, toks: list[Token]) -> Mention | None:
    """Read a speaker phrase (tokens of one noun phrase) into a Mention; None if it names nobody."""
    if not toks:
        return None
    start, end = toks[0].start, toks[-1].end
    if len(toks) == 1 and strip_possessive(toks[0].lower) in PRONOUNS:
        low = strip_possessive(toks[0].lower)  # "she", or "She's a supporter but concedes …"
        kind = "author" if low in AUTHOR else "pronoun"
        return Mention(kind, low, None, start, end, gender_of(toks))
    det = None
    while toks and toks[0].lower in DETERMINERS:
        det = toks[0].lower
        toks = toks[1:]
    if not toks:
        return None
    # "a report by the Institute for the Study of War": the body behind the document speaks
    for i, t in enumerate(toks[:-1]):
        if t.lower in ("by", "from") and i > 0 and toks[i - 1].lower in DOCUMENTS:
            inner = classify(text, toks[i + 1:])
            if inner is not None and inner.kind in ("organization", "person", "group"):
                return inner
    lows = [t.lower for t in toks]
    if any(w in ("familiar", "briefed", "knowledgeable", "knowledge", "close", "privy") for w in lows) \
            and (lows[0] in GROUPS or lows[0] in UNNAMED or det is not None):
        # "people familiar with the matter", "a source briefed on the talks": anonymous by design
        plural = lows[0] in GROUPS or lows[0] in ("people", "sources", "officials")
        return Mention("group" if plural else "unnamed", text[start:end], None, start, end)
    head = toks[-1].lower
    if head in ("percent", "half", "majority", "third", "quarter", "%", "three", "four", "five", "ten") \
            or head[:1].isdigit():
        return Mention("group", text[start:end], None, start, end)  # a share of those polled
    caps = [t for t in toks if t.is_cap]
    # the trailing run of name words is the name; what comes before it is the title
    j = len(toks)
    if surname_is_title(toks, len(toks) - 1):
        j -= 1  # "Amy Pope", "Rep. Peter T. King": a surname that is also a title
    while j > 0 and (is_name_word(toks[j - 1]) or toks[j - 1].lower in _INNER and j < len(toks)) \
            and toks[j - 1].lower not in TITLE_WORDS and toks[j - 1].lower not in ORGS:
        j -= 1
    while j < len(toks) and toks[j].lower in _INNER:
        j += 1
    surname_org = next((n for n in (2, 3, 4) if n <= len(toks) and surname_like_org(toks[-n:])
                        and all(is_name_word(x) for x in toks[-n:])), None)
    if surname_org is not None:
        j = len(toks) - surname_org  # "Michael Bloomberg", "Anna Richardson White"
    name_toks = toks[j:]
    has_org = any(t.lower in ORGS for t in caps) or (caps and strip_possessive(caps[-1].lower) in ORGS)
    if has_org and surname_org is not None and not any(t.lower in ORGS for t in toks[:j] if t.is_cap):
        has_org = False
    if name_toks and j > 0 and (toks[j - 1].lower in ROLES or toks[j - 1].lower in HONORIFICS):
        has_org = False  # "Council member Tom Reyes", "White House press secretary Sean Spicer"
    if head in GROUPS or (head.endswith("s") and head[:-1] in ROLES and not toks[-1].is_cap):
        return Mention("group", _span_text(text, toks), None, toks[0].start, end)
    if has_org and (toks[-1].is_cap or head in ORGS):
        first = next((k for k, t in enumerate(toks) if t.is_cap), 0)
        return Mention("organization", _span_text(text, toks[first:]), None, toks[first].start, end)
    if name_toks and len(name_toks) > 1 and (name_toks[-1].lower in _FIRM_ENDINGS or "&" in text[start:end]):
        # "Gulf Coast Refining", "Smith & Wesson": a firm's name, not a person's
        return Mention("organization", _span_text(text, name_toks), None, name_toks[0].start, end)
    if name_toks:
        nm = _span_text(text, name_toks)
        if len(name_toks) == 1 and strip_possessive(name_toks[0].lower) in DEMONYMS:
            # "Americans say" is a group, "the Russian said" someone unnamed, a bare "Russian" nobody
            if name_toks[0].lower.endswith("s") and name_toks[0].lower not in ("swiss", "chinese"):
                return Mention("group", _span_text(text, toks), None, toks[0].start, end)
            if det is not None:
                return Mention("unnamed", text[start:end], None, start, end)
        if len(name_toks) == 1 and name_toks[0].lower in PLACES:
            return Mention("organization", nm, None, name_toks[0].start, end)
        title_toks = [t for t in toks[:j] if t.lower not in HONORIFICS]
        title = _span_text(text, title_toks) if title_toks else None
        if title and title_toks[-1].lower in ("’s", "'s"):
            title = None
        return Mention("person", nm, title, start, end, gender_of(toks[:j], nm))
    if head in UNNAMED or head in ROLES or (toks[-1].text.islower() and head not in NOT_AGENTS
                                            and head not in DOCUMENTS and head not in ORGS
                                            and head.endswith(("man", "woman", "er", "or", "ist", "ian"))):
        # "a spokesman" is nobody in particular; "the senator" is someone the article named before
        kind = "role" if det in ("the", "his", "her", "their", "its") else "unnamed"
        return Mention(kind, text[start:end], None, start, end, gender_of(toks))
    if toks[-1].text.islower() and head.endswith("s") and len(head) > 4 and len(toks) > 1 \
            and toks[-2].lower.endswith(("’s", "'s")):
        return Mention("group", _span_text(text, toks), None, toks[0].start, end)  # "Clinton's confidants"
    if caps:
        return Mention("organization", _span_text(text, toks), None, toks[0].start, end)
    if lows[0] in GROUPS:  # "sources close to her campaign"
        return Mention("group", text[start:end], None, start, end)
    if det is not None and (head in DOCUMENTS or head in ("newspaper", "ad", "video", "email")):
        return Mention("unnamed", text[start:end], None, start, end)  # "the letter", "the ad"
    if det is not None and head in ORGS:  # "the company", "the group", "the ministry"
        return Mention("organization", text[start:end], None, start, end)
    return None


_FEMALE_NAMES = words("given_names", "female")


_MALE_NAMES = words("given_names", "male")


# Organisation words that are also surnames: "Michael Bloomberg", "Anna White", "Vicente Fox".
_ORG_SURNAMES = words("mention_words", "org_surname")


def surname_like_org(run: list[Token]) -> bool:
    """A given name, then words that are no organisation's but the last, which is also a surname."""
    return 2 <= len(run) <= 4 and is_given_name(run[0].text) and strip_possessive(run[-1].lower) in _ORG_SURNAMES \
        and not any(t.lower in ORGS for t in run[:-1])


def surname_is_title(toks: list[Token], k: int) -> bool:
    """Whether toks[k], a capitalised title word ("Pope", "King", "Marshall"), is a surname here: it follows a
    given name, an initial or an honorific ("Amy Pope", "Peter T. King", "Mr. King")."""
    if k < 1 or k >= len(toks) or not toks[k].is_cap or toks[k].lower not in TITLE_WORDS:
        return False
    prev = toks[k - 1]
    return is_given_name(prev.text) or prev.lower in HONORIFICS or (len(prev.text) == 2 and prev.text[1] == "."
                                                                     and prev.text[0].isupper())


def is_given_name(word: str) -> bool:
    low = word.lower()
    return low in _FEMALE_NAMES or low in _MALE_NAMES


def _given_name_gender(name: str) -> str | None:
    parts = name.split()
    if len(parts) < 2:
        return None  # a lone name may be a surname ("Kelly", "Taylor")
    first = parts[0].lower()
    female, male = first in _FEMALE_NAMES, first in _MALE_NAMES
    return "f" if female and not male else "m" if male and not female else None
