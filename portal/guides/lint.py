"""The plain-language lint of the guides: sentence length, readability (Flesch–Oborneva) and bureaucratic
words, measured against the CONTENT_* targets of the config (run by `flask content check`)."""
import re
from dataclasses import dataclass

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[^a-zа-яё])")
VOWELS = set("аеёиоуыэюяaeiouy")
BUREAUCRATIC = {
    "осуществлять": r"\bосуществл\w*",
    "в целях": r"\bв целях\b",
    "являться": r"\bявл(?:яет|яют|ятьс|ялс|ялас|ялос|ялис|яющ)\w*",
    "данный": r"\bданн(?:ый|ая|ое|ого|ой|ому|ым|ом|ую)\b",
    "в рамках": r"\bв рамках\b",
    "посредством": r"\bпосредством\b",
    "вышеуказанный": r"\bвышеуказанн\w*",
    "вышеперечисленный": r"\bвышеперечисленн\w*",
    "нижеследующий": r"\bнижеследующ\w*",
    "надлежащий": r"\bнадлежащ\w*",
    "в соответствии с": r"\bв соответствии с",
    "незамедлительно": r"\bнезамедлительн\w*",
    "в обязательном порядке": r"\bв обязательном порядке\b",
    "в установленном порядке": r"\bв установленном порядке\b",
    "уполномоченный орган": r"\bуполномоченн\w* орган\w*",
    "производить оплату": r"\bпроизв\w* оплат\w*",
    "денежные средства": r"\bденежн\w* средств\w*",
}
BUREAUCRATIC_RES = {word: re.compile(pattern) for word, pattern in BUREAUCRATIC.items()}


def words(text):
    return WORD_RE.findall(text)


def syllables(word):
    return sum(1 for ch in word.lower() if ch in VOWELS)


def sentences(blocks):
    """Sentences of the readable text: headings and table cells are left out."""
    result = []
    for kind, text in blocks:
        if kind in ("h", "td"):
            continue
        result.extend(part for part in SENTENCE_END_RE.split(text) if words(part))
    return result


def readability(sentence_list):
    """Flesch reading ease adapted to Russian by I. V. Oborneva: 206.835 − 1.3·ASL − 60.1·ASW."""
    all_words = [w for s in sentence_list for w in words(s)]
    if not sentence_list or not all_words:
        return 100.0
    asl = len(all_words) / len(sentence_list)
    asw = sum(syllables(w) for w in all_words) / len(all_words)
    return round(206.835 - 1.3 * asl - 60.1 * asw, 1)


def readability_label(score):
    if score >= 80:
        return "очень легко"
    if score >= 50:
        return "легко"
    if score >= 30:
        return "трудно"
    return "очень трудно"


@dataclass
class LintReport:
    key: str
    lang: str
    sentences: int
    words: int
    avg_sentence: float
    longest: int
    longest_text: str
    score: float
    bureaucratic: list
    problems: list

    @property
    def passed(self):
        return not self.problems


def lint_guide(guide, config):
    """Plain-language report for one guide against the targets in config."""
    sentence_list = sentences(guide.blocks)
    lengths = [len(words(s)) for s in sentence_list] or [0]
    longest_index = max(range(len(lengths)), key=lengths.__getitem__)
    total_words = sum(lengths)
    avg = round(total_words / max(len(sentence_list), 1), 1)
    score = readability(sentence_list)
    text = " ".join(s for s in sentence_list).lower().replace("ё", "е")
    found = sorted(word for word, pattern in BUREAUCRATIC_RES.items() if pattern.search(text))
    problems = []
    if guide.lang == "ru":
        if avg > config["CONTENT_MAX_AVG_SENTENCE_WORDS"]:
            problems.append(f"средняя длина предложения {avg} слов (цель — не больше "
                            f"{config['CONTENT_MAX_AVG_SENTENCE_WORDS']})")
        if lengths[longest_index] > config["CONTENT_MAX_SENTENCE_WORDS"]:
            problems.append(f"предложение из {lengths[longest_index]} слов (цель — не больше "
                            f"{config['CONTENT_MAX_SENTENCE_WORDS']}): «{sentence_list[longest_index][:120]}»")
        if score < config["CONTENT_MIN_READABILITY"]:
            problems.append(f"удобочитаемость {score} — «{readability_label(score)}» (цель — не ниже "
                            f"{config['CONTENT_MIN_READABILITY']})")
        if found:
            problems.append("канцелярские слова: " + ", ".join(f"«{w}»" for w in found))
    return LintReport(guide.key, guide.lang, len(sentence_list), total_words, avg, lengths[longest_index],
                      sentence_list[longest_index] if sentence_list else "", score, found, problems)



def lint_library(library, config):
    """Plain-language reports for every guide, Russian first."""
    every = sorted([*library.guides.values(), *library.translations.values()], key=lambda g: (g.key, g.lang))
    return [lint_guide(guide, config) for guide in every]
