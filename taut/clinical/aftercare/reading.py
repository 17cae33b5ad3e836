"""How hard a text is to read: the Flesch–Kincaid grade of the patient's words.

The handout aims at a reading age of about 12: a test keeps every line at US grade 7 or
below for every kind of session, and the warning questions too.
"""

import re

from taut.clinical.inputs import read_text

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+|\n")
_VOWELS = re.compile(r"[aeiouy]+")


def _syllables(word: str) -> int:
    # Vowel groups, less a silent final "e" (but not "-le": "ta-ble"). It over-counts a few
    # words ("times", "used"), which errs toward a harder grade.
    word = word.lower()
    count = len(_VOWELS.findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    return max(count, 1)


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level: ``0.39·words/sentences + 11.8·syllables/words − 15.59``.

    Words are runs of letters (numbers and phone numbers are not words); sentences end at
    ".", "!", "?" or a line break (each bullet is a sentence); syllables are counted by a
    simple rule (vowel groups, less a silent final "e"). US grade 7 is about age 12–13.
    Text with no words raises ValueError.

    Source: Kincaid, Fishburne, Rogers & Chissom 1975, Research Branch Report 8-75, Naval
    Technical Training Command (not in clinical.md). Status: secondary (the formula as
    published implementations give it; the report itself was not read); the syllable rule
    is Taut's.
    """
    read_text(text, "text")
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not words:
        raise ValueError("text: has no words to grade")
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59
