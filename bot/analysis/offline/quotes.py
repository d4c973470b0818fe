"""Direct and indirect quotes with their speakers, resolved to full names.

Three steps: direct quotes (direct_quotes.py) and indirect ones (indirect_quotes.py) each come with the
speaker phrase written next to them; then, in reading order, every phrase is resolved (coref.py): a surname
or a "he" to the full name of the person the article introduced, "the senator" to the last senator named,
a quote with no phrase of its own to the speaker of the quote it continues.
"""

from __future__ import annotations

from bot.analysis.model import Quote, Sentence, Span, Speaker
from bot.analysis.offline.body import furniture
from bot.analysis.offline.coref import UNIDENTIFIED, resolve
from bot.analysis.offline.direct_quotes import find_direct
from bot.analysis.offline.doc import Doc
from bot.analysis.offline.indirect_quotes import find_indirect
from bot.analysis.offline.names import scan_people
from bot.analysis.offline.people import People
from bot.analysis.offline.stances import find_stances
from bot.analysis.offline.units import RawQuote
from bot.analysis.sentences import sentence_at

INHERIT_PARAGRAPHS = 2  # a floating quote takes the last speaker from at most this many paragraphs back


PARTIAL_SHARE = 0.9  # share of an indirect clause a quoted phrase inside it must fill to replace it


LONE_QUOTE_WORDS = 12  # a quote inside a sentence, with nobody to tie it to, must be this long to count


# Corpora in the PARC tradition (PolNeAR) annotate `"A," he said. "B."` as ONE quote spanning A to B;
# newsbot shows two, each without its marks. True merges them (PolNeAR dev direct F1 0.77 -> 0.85).
MERGE_INTERRUPTED = False


MERGE_GAP = 60  # characters of attribution between the two pieces


def find_quotes(text: str, sentences: list[Sentence]) -> list[Quote]:
    """Every direct and indirect quote in `text`, in order, each with its resolved speaker and cue."""
    return find_attributions(text, sentences)[0]


def find_attributions(text: str, sentences: list[Sentence]) -> tuple[list[Quote], list[Quote]]:
    """(the quotes to show, every attribution): the second adds what tells claims who holds them without
    being words to show, a relayed report inside its relay and a stance ("X blames Y for Z")."""
    if not text.strip():
        return [], []
    doc = Doc(text, sentences)
    # page furniture and photo credits: no quote comes from them and nobody named there is an antecedent
    skip = furniture(text, sentences)
    furniture_spans = [(s.start, s.end) for s in sentences if s.id in skip]
    direct = _outside(find_direct(doc), furniture_spans)
    indirect = _outside(_drop_overlaps(find_indirect(doc, direct), direct), furniture_spans)
    # a phrase quoted inside reported speech belongs to that indirect quote, unless it is most of it
    direct = [q for q in direct if not (q.partial and _inside_any(q, indirect))]
    stances = _outside(find_stances(doc, direct + indirect), furniture_spans)
    known = frozenset(q.mention.name for q in direct + indirect
                      if q.mention is not None and q.mention.kind == "person" and " " not in q.mention.name)
    people = scan_people(doc, sorted([(q.start, q.end) for q in direct] + furniture_spans), known)
    resolved = _resolve(doc, direct, indirect + stances, people, sentences, furniture_spans)
    every = [q for q, _ in resolved]
    quotes = shown([q for q, claim_only in resolved if not claim_only])
    return (_merge_interrupted(text, quotes) if MERGE_INTERRUPTED else quotes), every


def shown(quotes: list[Quote]) -> list[Quote]:
    """The quotes to show: a relayed report inside the report that relays it ("Reuters reported that
    officials said X": officials via Reuters) tells claims who holds X, but the words are shown once."""
    return [q for q in quotes if q.speaker.via is None
            or not any(o is not q and o.start <= q.start and q.end <= o.end for o in quotes)]


def _merge_interrupted(text: str, quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in quotes:
        p = out[-1] if out else None
        if p is not None and p.kind == q.kind == "direct" and p.speaker == q.speaker \
                and q.start - p.end <= MERGE_GAP and "\n" not in text[p.end:q.start]:
            out[-1] = p.model_copy(update={"end": q.end, "text": text[p.start:q.end], "cue": p.cue or q.cue})
        else:
            out.append(q)
    return out


def _outside(quotes: list[RawQuote], spans: list[tuple[int, int]]) -> list[RawQuote]:
    return [q for q in quotes if not any(a <= q.start < b for a, b in spans)]


def _inside_any(q: RawQuote, others: list[RawQuote]) -> bool:
    return any(o.start <= q.start and q.end <= o.end for o in others)


def _overlap(a: RawQuote, b: RawQuote) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _drop_overlaps(indirect: list[RawQuote], direct: list[RawQuote]) -> list[RawQuote]:
    """An indirect quote that is mostly a direct one is that direct quote; of two overlapping indirect
    quotes that are nearly the same keep the first (one nested in another is a second attribution)."""
    kept: list[RawQuote] = []
    for q in indirect:
        n = max(q.end - q.start, 1)
        # a partial quote inside reported speech stays part of it unless it is nearly all of it
        inside = [d for d in direct if _overlap(q, d) > (PARTIAL_SHARE if d.partial else 0.5) * n]
        if inside:
            d = inside[0]
            if d.mention is None and d.chain is None and q.mention is not None:
                # `"This will be a challenge" for Clinton, said Kunin.`: the report names the quote's speaker
                d.mention, d.cue, d.appositive = q.mention, q.cue, q.appositive
            continue
        if q.via is None and any(_overlap(q, k) > 0.5 * max(n, k.end - k.start) for k in kept):
            continue
        kept.append(q)
    return kept


def _resolve(doc: Doc, direct: list[RawQuote], indirect: list[RawQuote], people: People,
             sentences: list[Sentence], furniture: list[tuple[int, int]]) -> list[tuple[Quote, bool]]:
    text = doc.text
    items = sorted(direct + indirect, key=lambda q: (q.start, q.end))
    speakers: dict[int, Speaker] = {}  # id(raw quote) -> speaker
    quoted = sorted([(q.start, q.end) for q in direct] + furniture)  # no antecedent comes from these
    recent: list[Speaker] = []
    last_pos = -1
    out: list[tuple[Quote, bool]] = []  # each with whether it only attributes a claim
    for q in items:
        sp: Speaker | None = None
        pos = q.cue.start if q.cue else q.start
        if q.chain is not None and id(q.chain) in speakers and q.mention is None:
            sp = speakers[id(q.chain)]
        elif q.mention is not None:
            sp = resolve(q.mention, q.mention.start, people, recent[-1] if recent else None, recent,
                          q.appositive, doc, quoted, last_pos, (q.start, q.end))
            if sp is None:
                continue  # the author's own voice is no quote
            if q.via is not None:
                channel = resolve(q.via, q.via.start, people, None, recent, None, doc, quoted, last_pos)
                if channel is None or channel.name == sp.name:
                    if q.via.start < q.start:
                        continue  # a relay that resolved to its own channel found no second speaker
                else:
                    sp = sp.model_copy(update={"via": channel.name})
        elif recent and doc.para_index(q.start) - doc.para_index(last_pos) <= INHERIT_PARAGRAPHS:
            sp = recent[-1]  # a paragraph that is only a quote goes on with the last speaker
        elif q.kind == "direct" and (q.opens_sentence or len(text[q.start:q.end].split()) >= LONE_QUOTE_WORDS):
            sp = UNIDENTIFIED  # someone's words, but the article does not say whose
        if sp is None:
            continue
        if not q.claim_only:  # a stance is no speaker a later quote goes on with
            speakers[id(q)] = sp
            recent.append(sp)
            last_pos = pos
        cue = Span(text=text[q.cue.start:q.cue.end], start=q.cue.start, end=q.cue.end) if q.cue else None
        out.append((Quote(speaker=sp, text=text[q.start:q.end], start=q.start, end=q.end, kind=q.kind,
                          sentence_id=sentence_at(sentences, q.start), cue=cue), q.claim_only))
    return out
