"""The language an article is written in, and what that means for the offline engine.

py3langid (a naive Bayes model over byte n-grams, shipped inside the package: nothing is downloaded)
reads the first few thousand characters. It is deterministic and takes about a millisecond once its model
is loaded (about a second and 100 MB, once per process, so plainly English text, a quarter of whose words
are English function words, is taken as English without it). A short text gives it too little to go on, so below
MIN_LETTERS, or when it is unsure, the page's own declaration (`<html lang>`) decides, or nobody does.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

SAMPLE_CHARS = 4000  # enough for a confident answer; the head of an article is its own language
MIN_LETTERS = 100  # about 20 words: fewer, and a detector's answer is a guess
MIN_CONFIDENCE = 0.9

# Names people know, for the languages py3langid tells apart (ISO 639-1 codes).
NAMES: dict[str, str] = {
    "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic", "as": "Assamese", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fo": "Faroese", "fr": "French", "ga": "Irish", "gl": "Galician", "gu": "Gujarati",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
    "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean",
    "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish", "lo": "Lao", "lt": "Lithuanian",
    "lv": "Latvian", "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
    "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "nb": "Norwegian", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "oc": "Occitan", "or": "Odia", "pa": "Punjabi",
    "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "rw": "Kinyarwanda", "se": "Northern Sami", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "fy": "Frisian", "gd": "Scottish Gaelic", "ha": "Hausa", "ig": "Igbo", "my": "Burmese",
    "so": "Somali", "tg": "Tajik", "tk": "Turkmen", "tt": "Tatar", "uz": "Uzbek", "yo": "Yoruba",
    "yue": "Cantonese", "arz": "Arabic", "ary": "Arabic", "tl": "Tagalog", "tr": "Turkish", "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon", "xh": "Xhosa", "zh": "Chinese", "zu": "Zulu",
}

ENGLISH_SHARE = 0.25
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to a in is that for on was with it as by he she they at be has have from an are his her "
    "were been this not but or which their who will would".split()
)
_LATIN_WORD = re.compile(r"[a-z]+")
NO_LANGUAGE = "zxx"  # py3langid's label for text with no linguistic content
_LETTER = re.compile(r"[^\W\d_]")
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")
_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


def _model() -> LanguageIdentifier:
    """The detector with probabilities normalised (so a confidence means something), loaded once;
    extraction runs in worker threads, hence the lock."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def normalize(tag: str | None) -> str | None:
    """A declared language ("en-GB", "de_DE", "FR") as its primary code ("en", "de", "fr"), else None."""
    match = _TAG.match((tag or "").strip().lower())
    return match.group(1) if match else None


def _plainly_english(sample: str) -> bool:
    """A quarter of the words are English function words: no other language comes near (German, French,
    Spanish news score under 0.06; English news over 0.2, usually near 0.3)."""
    words = _LATIN_WORD.findall(sample.lower())
    return len(words) >= 40 and sum(w in _ENGLISH_FUNCTION_WORDS for w in words) >= ENGLISH_SHARE * len(words)


def detect(text: str, declared: str | None = None) -> str | None:
    """The language of `text` as an ISO 639-1 code; the page's `declared` language when the text is too
    short or the detector unsure; None when neither knows."""
    fallback = normalize(declared)
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return fallback
    if _plainly_english(sample):
        return "en"  # what the model says too, without loading it (a second and ~100 MB) for most articles
    code, confidence = _model().classify(sample)
    return code if confidence >= MIN_CONFIDENCE and code != NO_LANGUAGE else fallback


def name(code: str | None) -> str | None:
    """"German" for "de"; the code itself for a language without a name here; None for None."""
    code = normalize(code)
    return NAMES.get(code, code) if code else None


def offline_note(code: str | None) -> str | None:
    """What a reader of the offline engine's analysis of a non-English article must know, else None."""
    language = name(code)
    if language is None or normalize(code) == "en":
        return None
    return f"{language}: the offline engine reads English; quotes and flags may be missing."
