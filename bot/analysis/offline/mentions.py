"""Stage 4, mentions: what a speaker phrase names — a person with a title, an organisation, a group,
someone unnamed, a pronoun, the author.

A phrase is read from word tokens with the title and organisation lexicons: "Russian President Vladimir
Putin" splits into a name and a title, "U.S. officials" is a group, "a person familiar with the matter" is
unnamed, "the Institute for the Study of War" an organisation. The layouts are the rules of stage
"mention", tried in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.offline.doc import DET, DOCUMENT, HONORIFIC, ORG, PLACE, ROLE, TITLE, Token
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.rules import STOP, Rule, decide, stage

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
    """Read a speaker phrase (tokens of one noun phrase) into a Mention, by the first rule of stage
    "mention" that decides; None if it names nobody."""
    if not toks:
        return None
    k = 0
    while k < len(toks) and DET in toks[k].cls:
        k += 1
    if k == len(toks):
        return None
    return decide(MENTION_RULES, Reading(text, toks, k))


class Reading:
    """A speaker phrase taken apart: its determiner, head word, capitalised words, and the trailing run of
    name words (the name) with what comes before it (the title)."""

    def __init__(self, text: str, raw: list[Token], k: int) -> None:
        self.text, self.raw = text, raw
        self.start, self.end = raw[0].start, raw[-1].end
        self.det = raw[k - 1].lower if k else None
        toks = self.toks = raw[k:]
        self.lows = [t.lower for t in toks]
        self.head = toks[-1].lower
        self.caps = caps = [t for t in toks if t.is_cap]
        j = len(toks)
        if surname_is_title(toks, len(toks) - 1):
            j -= 1  # "Amy Pope", "Rep. Peter T. King": a surname that is also a title
        while j > 0 and (is_name_word(toks[j - 1]) or toks[j - 1].lower in _INNER and j < len(toks)) \
                and TITLE not in toks[j - 1].cls and ORG not in toks[j - 1].cls:
            j -= 1
        while j < len(toks) and toks[j].lower in _INNER:
            j += 1
        surname_org = next((n for n in (2, 3, 4) if n <= len(toks) and surname_like_org(toks[-n:])
                            and all(is_name_word(x) for x in toks[-n:])), None)
        if surname_org is not None:
            j = len(toks) - surname_org  # "Michael Bloomberg", "Anna Richardson White"
        self.j, self.name_toks = j, toks[j:]
        has_org = any(ORG in t.cls for t in caps) or bool(caps and strip_possessive(caps[-1].lower) in ORGS)
        if has_org and surname_org is not None and not any(ORG in t.cls for t in toks[:j] if t.is_cap):
            has_org = False
        if self.name_toks and j > 0 and (ROLE in toks[j - 1].cls or HONORIFIC in toks[j - 1].cls):
            has_org = False  # "Council member Tom Reyes", "White House press secretary Sean Spicer"
        self.has_org = has_org

    def whole(self, kind: str) -> Mention:
        """The phrase as written, determiner included."""
        return Mention(kind, self.text[self.start:self.end], None, self.start, self.end)

    def bare(self, kind: str, first: int = 0) -> Mention:
        """The phrase from its `first` word after the determiner."""
        return Mention(kind, _span_text(self.text, self.toks[first:]), None, self.toks[first].start, self.end)


def _pronoun(r: Reading) -> Mention | None:
    if len(r.raw) == 1 and strip_possessive(r.raw[0].lower) in PRONOUNS:
        low = strip_possessive(r.raw[0].lower)  # "she", or "She's a supporter but concedes …"
        return Mention("author" if low in AUTHOR else "pronoun", low, None, r.start, r.end, gender_of(r.raw))
    return None


def _label(r: Reading) -> object:
    """"MYTH:", "CLAIM:", "FACT CHECK:": a fact-check label names no source."""
    return STOP if r.text[r.start:r.end].lower().rstrip(":") in LABELS else None


def _document_by_body(r: Reading) -> Mention | None:
    toks = r.toks
    for i, t in enumerate(toks[:-1]):
        if t.lower in ("by", "from") and i > 0 and DOCUMENT in toks[i - 1].cls:
            inner = classify(r.text, toks[i + 1:])
            if inner is not None and inner.kind in ("organization", "person", "group"):
                return inner
    return None


def _anonymous(r: Reading) -> Mention | None:
    lows = r.lows
    if any(w in _ANONYMOUS_WORDS for w in lows) and (lows[0] in GROUPS or lows[0] in UNNAMED or r.det is not None):
        plural = lows[0] in GROUPS or lows[0] in ("people", "sources", "officials")
        return r.whole("group" if plural else "unnamed")
    return None


def _poll_share(r: Reading) -> Mention | None:
    return r.whole("group") if r.head in _SHARE_HEADS or r.head[:1].isdigit() else None


def _description(r: Reading) -> Mention | None:
    """"the Kentucky Republican", "the Vermont independent": a description of someone the article named;
    resolution finds who."""
    if r.det == "the" and r.head in _DESCRIPTION_HEADS and 2 <= len(r.toks) <= 4:  # not "The Independent"
        return Mention("role", r.text[r.start:r.end], None, r.start, r.end)
    return None


def _role_of_body(r: Reading) -> Mention | None:
    """"an official with the relief group CareBridge": someone unnamed, described by where they work."""
    toks = r.toks
    head = toks[0].lower
    plural = head.endswith("s") and (head[:-1] in ROLES or head in GROUPS)
    if len(toks) >= 3 and toks[1].lower in _ROLE_LINKS and head not in _SPEAKS_FOR and (
            (r.det is not None and toks[0].text.islower() and head in ROLES | UNNAMED) or plural):
        return r.whole("group" if plural else "unnamed")
    return None  # "a spokeswoman for YouTube" speaks for YouTube: read on


def _group_head(r: Reading) -> Mention | None:
    head = r.head
    if head in GROUPS or (head.endswith("s") and head[:-1] in ROLES and not r.toks[-1].is_cap):
        return r.bare("group")
    return None


def _organisation(r: Reading) -> Mention | None:
    if r.has_org and (r.toks[-1].is_cap or r.head in ORGS):
        return r.bare("organization", next((k for k, t in enumerate(r.toks) if t.is_cap), 0))
    return None


def _firm_name(r: Reading) -> Mention | None:
    nt = r.name_toks
    if len(nt) > 1 and (nt[-1].lower in _FIRM_ENDINGS or "&" in r.text[r.start:r.end]):
        return Mention("organization", _span_text(r.text, nt), None, nt[0].start, r.end)
    return None


def _demonym(r: Reading) -> Mention | None:
    nt = r.name_toks
    if len(nt) == 1 and strip_possessive(nt[0].lower) in DEMONYMS:
        if nt[0].lower.endswith("s") and nt[0].lower not in ("swiss", "chinese"):
            return r.bare("group")
        if r.det is not None:
            return r.whole("unnamed")
    return None


def _place(r: Reading) -> Mention | None:
    nt = r.name_toks
    if len(nt) == 1 and PLACE in nt[0].cls:
        return Mention("organization", _span_text(r.text, nt), None, nt[0].start, r.end)
    return None


def _named_body(r: Reading) -> Mention | None:
    """"the relief group CareBridge", "the fitness app Stride": a name right after a common noun for a body
    is that body's, not a person's."""
    nt, j = r.name_toks, r.j
    if 1 <= len(nt) <= 2 and j > 0 and r.toks[j - 1].text.islower() and r.toks[j - 1].lower in _BODY_NOUNS \
            and not is_given_name(nt[0].text):
        return Mention("organization", _span_text(r.text, nt), None, nt[0].start, r.end)
    return None


def _person(r: Reading) -> Mention | None:
    if not r.name_toks:
        return None
    nm = _span_text(r.text, r.name_toks)
    title_toks = [t for t in r.toks[:r.j] if HONORIFIC not in t.cls]
    title = _span_text(r.text, title_toks) if title_toks else None
    if title and title_toks[-1].lower in ("’s", "'s"):
        title = None
    return Mention("person", nm, title, r.start, r.end, gender_of(r.toks[:r.j], nm))


def _role(r: Reading) -> Mention | None:
    head, last = r.head, r.toks[-1]
    if head in UNNAMED or head in ROLES or (last.text.islower() and head not in NOT_AGENTS
                                            and head not in DOCUMENTS and head not in ORGS
                                            and head.endswith(("man", "woman", "er", "or", "ist", "ian"))):
        kind = "role" if r.det in ("the", "his", "her", "their", "its") else "unnamed"
        return Mention(kind, r.text[r.start:r.end], None, r.start, r.end, gender_of(r.toks))
    return None


def _possessed_plural(r: Reading) -> Mention | None:
    toks, head = r.toks, r.head
    if toks[-1].text.islower() and head.endswith("s") and len(head) > 4 and len(toks) > 1 \
            and toks[-2].lower.endswith(("’s", "'s")):
        return r.bare("group")
    return None


def _capitalised_body(r: Reading) -> Mention | None:
    return r.bare("organization") if r.caps else None


def _group_first_word(r: Reading) -> Mention | None:
    return r.whole("group") if r.lows[0] in GROUPS else None


def _document(r: Reading) -> Mention | None:
    if r.det is not None and (r.head in DOCUMENTS or r.head in ("newspaper", "ad", "video", "email")):
        return r.whole("unnamed")
    return None


def _common_body(r: Reading) -> Mention | None:
    return r.whole("organization") if r.det is not None and r.head in ORGS else None


_ROLE_LINKS = words("layout_words", "role_link")
_BODY_NOUNS = words("mention_words", "body_noun") | ORGS
_SPEAKS_FOR = words("mention_words", "speaks_for")
_DESCRIPTION_HEADS = words("mention_words", "description_head")
LABELS = words("mention_words", "label")
_ANONYMOUS_WORDS = words("mention_words", "anonymous_word")
_SHARE_HEADS = words("mention_words", "share_head")
MENTION_RULES = stage("mention", [
    Rule("mention.pronoun", "The plant will close in May, she said.", _pronoun),
    Rule("mention.label", "MYTH: “The flu shot can give you the flu.”", _label),
    Rule("mention.document_by_body", "A report by the Institute for Coastal Study said the dunes are shrinking.",
         _document_by_body),
    Rule("mention.anonymous", "People familiar with the plan said it would be delayed.", _anonymous),
    Rule("mention.poll_share", "Forty percent said the service had improved.", _poll_share),
    Rule("mention.description", "Sen. Rand Paul spoke on Monday. The Kentucky Republican said the bill would fail.",
         _description),
    Rule("mention.role_of_body", "The road was closed on Monday, an official with the relief group Aidline said.",
         _role_of_body),
    Rule("mention.group_head", "Local residents said the noise went on all night.", _group_head),
    Rule("mention.organisation", "The Northfield Water Authority said supplies were safe.", _organisation),
    Rule("mention.firm_name", "Baxter & Lowe said the merger would close in June.", _firm_name),
    Rule("mention.demonym", "Many Latinos say the border rules are confusing.", _demonym),
    Rule("mention.place", "France said the talks would resume next week.", _place),
    Rule("mention.named_body", "The relief group CareBridge said the convoy was turned back.", _named_body),
    Rule("mention.person", "Finance Minister Lena Vos said the budget was balanced.", _person),
    Rule("mention.role", "A spokeswoman said the store would reopen.", _role),
    Rule("mention.possessed_plural", "Mayor Ruiz's confidants say the race is close.", _possessed_plural),
    Rule("mention.capitalised_body", "The Ipsos poll said turnout would be high.", _capitalised_body),
    Rule("mention.group_first_word", "Some voters in her state say the roads are poor.", _group_first_word),
    Rule("mention.document", "The letter said the school would close.", _document),
    Rule("mention.common_body", "The company said profits fell.", _common_body),
])


_FEMALE_NAMES = words("given_names", "female")
_MALE_NAMES = words("given_names", "male")


# Organisation words that are also surnames: "Michael Bloomberg", "Anna White", "Vicente Fox".
_ORG_SURNAMES = words("mention_words", "org_surname")


def surname_like_org(run: list[Token]) -> bool:
    """A given name, then words that are no organisation's but the last, which is also a surname."""
    return 2 <= len(run) <= 4 and is_given_name(run[0].text) and strip_possessive(run[-1].lower) in _ORG_SURNAMES \
        and not any(ORG in t.cls for t in run[:-1])


def surname_is_title(toks: list[Token], k: int) -> bool:
    """Whether toks[k], a capitalised title word ("Pope", "King", "Marshall"), is a surname here: it follows a
    given name, an initial or an honorific ("Amy Pope", "Peter T. King", "Mr. King")."""
    if k < 1 or k >= len(toks) or not toks[k].is_cap or TITLE not in toks[k].cls:
        return False
    prev = toks[k - 1]
    return is_given_name(prev.text) or HONORIFIC in prev.cls or (len(prev.text) == 2 and prev.text[1] == "."
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
