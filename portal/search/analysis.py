"""The Russian text analysis behind search: analyzers, lemmas and stems, stop words, and the query text rules.

- Analysis: words are replaced by their pymorphy3 lemmas (ё folded to е); a word the dictionary does not
  know falls back to its Snowball stem (PyStemmer). A second, unstemmed field (`plain`) serves typo
  tolerance, "did you mean" and the keyboard-layout check; it never has `spelling=True`, which kills
  fuzzy matches on stemmed fields in Whoosh 2.7.
- Query text: sanitising (length and term limits), the cache key (`normalise_query`), the keyboard-layout
  fix and the edit distance; the vacancy search (portal/vacancies/search.py) uses the same functions.

Analyzer classes and functions are module-level on purpose: Whoosh pickles them into the index by module
path, so renaming or moving them needs a rebuild (raise SCHEMA_VERSION in portal/search/index.py).
"""
import re
import threading
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.stopwords import stoplists

RU_STOP = frozenset(stoplists["ru"]) | {"ее", "еще"}
CYRILLIC_RE = re.compile(r"[а-яё]", re.I)
LATIN_RE = re.compile(r"[a-z]", re.I)
WORD_RE = re.compile(r"\w+", re.U)


class YoFilter(Filter):
    """ё → е, so «ещё» and «еще», «жильё» and «жилье» are one word."""

    def __call__(self, tokens):
        for t in tokens:
            if "ё" in t.text:
                t.text = t.text.replace("ё", "е")
            yield t


_morph = None
_morph_lock = threading.Lock()
_stemmer = None
_stemmer_lock = threading.Lock()


def morph_analyzer():
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3
                _morph = pymorphy3.MorphAnalyzer()
    return _morph


def ru_stem(word):
    """Snowball stem (PyStemmer): the fallback for words the dictionary does not know."""
    global _stemmer
    with _stemmer_lock:  # a PyStemmer object is not thread-safe
        if _stemmer is None:
            import Stemmer
            _stemmer = Stemmer.Stemmer("russian")
        return _stemmer.stemWord(word)


@lru_cache(maxsize=200_000)
def ru_lemmas(word):
    """The lemmas of a lower-case word, most likely first, ё folded; its stem if the dictionary lacks it."""
    morph = morph_analyzer()
    if not CYRILLIC_RE.search(word) or not morph.word_is_known(word):
        return (ru_stem(word),)
    lemmas = []
    for parse in morph.parse(word):
        lemma = parse.normal_form.replace("ё", "е")
        if lemma not in lemmas:
            lemmas.append(lemma)
    return tuple(lemmas[:3])


@lru_cache(maxsize=50_000)
def is_dictionary_word(word):
    """Whether pymorphy3 knows the word: an unknown long word is probably a typo."""
    return bool(CYRILLIC_RE.search(word)) and morph_analyzer().word_is_known(word)


class LemmaFilter(Filter):
    """Replace a word by its lemma; when indexing, add its other possible lemmas at the same position.

    Queries take only the most likely lemma, so a quoted phrase keeps one word per position.
    """

    def __call__(self, tokens):
        for t in tokens:
            lemmas = ru_lemmas(t.text)
            t.text = lemmas[0]
            yield t
            if getattr(t, "mode", "") == "index":
                for extra in lemmas[1:]:
                    t.text = extra  # Whoosh records each token before asking for the next one
                    yield t


def lemma_analyzer():
    """Words → lemmas, without stop words: the fields that rank results."""
    return RegexTokenizer() | LowercaseFilter() | YoFilter() | StopFilter(stoplist=RU_STOP) | LemmaFilter()


def plain_analyzer():
    """Words as written (lower case, ё → е): typo tolerance, "did you mean", the layout check."""
    return RegexTokenizer() | LowercaseFilter() | YoFilter()



_PLAIN = plain_analyzer()
_LEMMA = lemma_analyzer()


def plain_words(text):
    return [t.text for t in _PLAIN(text)]


def lemma_words(text):
    return [t.text for t in _LEMMA(text, mode="query")]


# ---------------------------------------------------------------- query text

_LAT = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_CYR = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"
LAT2CYR = str.maketrans(_LAT, _CYR)


def fix_layout(text):
    """'gjcj,bt' → 'пособие': the text retyped in the Russian layout; None if it has Cyrillic or no Latin."""
    if CYRILLIC_RE.search(text) or not LATIN_RE.search(text):
        return None
    return text.translate(LAT2CYR)


def sanitize_query(raw, max_chars=200, max_terms=20):
    """(text, shortened): control characters dropped, spaces collapsed, at most max_chars and max_terms."""
    if not isinstance(raw, str):
        return "", False
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    terms = text.split()
    shortened = len(terms) > max_terms
    text = " ".join(terms[:max_terms])
    if len(text) > max_chars:
        text, shortened = text[:max_chars].rstrip(), True
    return text, shortened


def normalise_query(text):
    """The cache key of a query: case-folded, ё → е, single spaces."""
    return " ".join(text.casefold().replace("ё", "е").split())


def damerau(a, b):
    """Optimal-string-alignment distance: an adjacent swap counts as one edit."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
