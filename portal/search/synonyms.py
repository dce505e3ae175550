"""The slang dictionary (portal/content/synonyms.yaml): reading and checking it, and finding the guides'
words for the slang in a query."""
from dataclasses import dataclass
from pathlib import Path

import yaml

from portal.search.analysis import RU_STOP, lemma_words, plain_words, ru_lemmas
from portal.yaml_files import DuplicateKeyError, load_yaml_file


class SynonymsError(ValueError):
    """portal/content/synonyms.yaml is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Synonyms:
    """Slang and everyday words → the words the guides use, as lemma sequences."""

    entries: tuple = ()  # ((lemma set of each key word, …), (replacement phrase, …))
    words: frozenset = frozenset()  # every plain word of the keys: the layout check counts them as known

    def expansions(self, text):
        """Replacement phrases whose key occurs in the text, in dictionary order.

        Words are compared by all their possible lemmas: «кичи» may be read as «кича» or «кич».
        """
        query = lemma_sets(text)
        found = []
        for key, phrases in self.entries:
            n = len(key)
            if any(all(a & b for a, b in zip(key, query[i:i + n], strict=True))
                   for i in range(len(query) - n + 1)):
                found.extend(p for p in phrases if p not in found)
        return found


def lemma_sets(text):
    """The set of possible lemmas of each word of text, stop words left out."""
    return [frozenset(ru_lemmas(w)) for w in plain_words(text) if w not in RU_STOP and len(w) > 1]


def load_synonyms(path):
    """Read and check the slang dictionary; a bad file raises SynonymsError naming the file and the entry."""
    path = Path(path)
    if not path.exists():
        return Synonyms()
    name = path.name
    try:
        data = load_yaml_file(path)
    except DuplicateKeyError as error:
        raise SynonymsError(f"{name}: {error}") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SynonymsError(f"{name}: не читается как YAML: {error}") from error
    if data is None:
        return Synonyms()
    if not isinstance(data, dict):
        raise SynonymsError(f"{name}: ожидается словарь «слово: замена» или «слово: [замена, …]»")
    entries, words, problems = [], set(), []
    for key, value in data.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{name}: ключ «{key}»: нужно слово или фраза")
            continue
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip()
                                                                  for v in values):
            problems.append(f"{name}: «{key}»: замена — непустая строка или список строк")
            continue
        key_lemmas = tuple(lemma_sets(key))
        if not key_lemmas:
            problems.append(f"{name}: «{key}»: в ключе только служебные слова")
            continue
        empty = [v for v in values if not lemma_words(v)]
        if empty:
            problems.append(f"{name}: «{key}»: в замене «{empty[0]}» только служебные слова")
            continue
        entries.append((key_lemmas, tuple(v.strip() for v in values)))
        words.update(plain_words(key))
    if problems:
        raise SynonymsError("\n".join(problems))
    return Synonyms(tuple(entries), frozenset(words))
