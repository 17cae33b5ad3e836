"""Test helpers for pages, emails and PDFs in Spanish: what a reader sees, and any English
sentence of the catalogue left in it (a string that was not marked, or not translated)."""

import gettext as python_gettext
import html
import re
from functools import cache
from pathlib import Path

from django.conf import settings

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}|<[^>]+>")
MIN_WORDS = 4  # shorter English fragments ("No pain") may be names or shared words


def catalogue_path(suffix: str = "mo") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / f"django.{suffix}"


@cache
def catalogue() -> dict[str, str]:
    """The compiled Spanish catalogue: English msgid -> Spanish msgstr (contexts dropped)."""
    with catalogue_path().open("rb") as file:
        translations = python_gettext.GNUTranslations(file)
    entries = translations._catalog
    found = {}
    for key, value in entries.items():
        msgid = key[1] if isinstance(key, tuple) else key
        if msgid and isinstance(msgid, str):
            found[msgid.split("\x04")[-1]] = value
    return found


@cache
def english_fragments() -> tuple[str, ...]:
    """Runs of MIN_WORDS or more English words from the catalogue's sentences (split at
    their placeholders and tags), each of which Spanish translates differently."""
    fragments = set()
    for msgid, msgstr in catalogue().items():
        for piece in PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .,:;·")
            if len(piece.split()) >= MIN_WORDS and piece not in msgstr:
                fragments.add(piece)
    return tuple(sorted(fragments))


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page (or text): no scripts, styles or tags."""
    page = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def untranslated(page: str) -> list[str]:
    """The catalogue's English fragments the page still shows."""
    text = visible_text(page)
    return [fragment for fragment in english_fragments() if fragment in text]
