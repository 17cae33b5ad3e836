"""The Spanish catalogue is complete, correct in its placeholders, compiled, and clean:
every msgid has a Spanish msgstr that is not fuzzy; each keeps the msgid's named
placeholders (``%(name)s``, ``{name}``) and tags; the committed .mo is the .po compiled; and
``makemessages`` finds no string the catalogue lacks, nor keeps one the code no longer has
(docs/decisions/0026-patient-pages-in-english-and-spanish.md)."""

import ast
import gettext as python_gettext
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from taut.tests.spanish import catalogue, catalogue_path

PLACEHOLDERS = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|</?[a-z]+[^>]*>")
POSITIONAL = re.compile(r"%[sd]|\{\}|\{\d+\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(text: str) -> list[Entry]:
    """The entries of a .po file (the header, msgid "", left out)."""
    entries, entry, target = [], Entry(), None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            if target is not None and (entry.msgid or entry.obsolete):
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, value = line.partition(" ")
        if line.startswith('"'):
            keyword, value = "", line
        string = ast.literal_eval(value)
        if keyword == "msgid":
            target = "msgid"
            entry.msgid = string
        elif keyword == "msgctxt":
            target = "msgctxt"
            entry.msgctxt = string
        elif keyword == "msgid_plural":
            target = "msgid_plural"
            entry.msgid_plural = string
        elif keyword.startswith("msgstr"):
            target = "msgstr"
            entry.msgstr.append(string)
        elif target == "msgstr":
            entry.msgstr[-1] += string
        elif target is not None:
            setattr(entry, target, (getattr(entry, target) or "") + string)
    return entries


def committed() -> list[Entry]:
    return read_po(catalogue_path("po").read_text(encoding="utf-8"))


def test_the_catalogue_has_entries():
    assert len(committed()) > 100


def test_every_msgid_has_a_spanish_msgstr_that_is_not_fuzzy():
    for entry in committed():
        assert not entry.obsolete, f"obsolete entry left in the catalogue: {entry.msgid!r}"
        assert "fuzzy" not in entry.flags, f"fuzzy: {entry.msgid!r}"
        assert entry.msgstr and all(s.strip() for s in entry.msgstr), f"empty: {entry.msgid!r}"


def test_each_msgstr_keeps_the_msgids_placeholders_and_tags():
    for entry in committed():
        expected = Counter(PLACEHOLDERS.findall(entry.msgid))
        assert not POSITIONAL.search(entry.msgid), f"positional placeholder: {entry.msgid!r}"
        for msgstr in entry.msgstr:
            assert Counter(PLACEHOLDERS.findall(msgstr)) == expected, (entry.msgid, msgstr)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_the_committed_mo_is_the_po_compiled(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(catalogue_path("po"))], check=True
    )
    with compiled.open("rb") as file:
        fresh = python_gettext.GNUTranslations(file)._catalog
    with catalogue_path("mo").open("rb") as file:
        stored = python_gettext.GNUTranslations(file)._catalog
    assert fresh == stored, "run: python -m taut.cli compilemessages -l es -i .venv"


def _sources_copy(target):
    """The files makemessages reads (Python, templates, text), copied to ``target``.

    makemessages writes a temporary ``<template>.py`` beside each template it reads: run in
    the checkout, those files appear in the source tree while other tests (running at the
    same time under pytest-xdist) walk it, e.g. the architecture test's import graph."""
    skip = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "artifacts", "var", "locale")

    def ignore(directory, names):
        return set(skip(directory, names)) | {
            n
            for n in names
            if (Path(directory) / n).is_file() and not n.endswith((".py", ".html", ".txt"))
        }

    for top in ("taut", "tests", "benchmarks"):
        if (settings.BASE_DIR / top).is_dir():
            shutil.copytree(settings.BASE_DIR / top, target / top, ignore=ignore)
    for name in ("conftest.py", "manage.py"):
        if (settings.BASE_DIR / name).exists():
            shutil.copy(settings.BASE_DIR / name, target / name)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_makemessages_finds_nothing_new_and_nothing_stale(tmp_path, monkeypatch):
    """makemessages, on a copy of the sources, into a copy of the catalogue (about a
    second): the same msgids."""
    before = committed()  # read before LOCALE_PATHS points at the copy
    copy = tmp_path / "locale" / "es" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(catalogue_path("po"), copy / "django.po")
    sources = tmp_path / "sources"
    _sources_copy(sources)
    monkeypatch.chdir(sources)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tmp_path / "locale"])
    call_command("makemessages", locale=["es"], no_location=True, verbosity=0)
    made = read_po((copy / "django.po").read_text(encoding="utf-8"))

    def ids(entries):
        return {(e.msgctxt, e.msgid) for e in entries if not e.obsolete}

    new = ids(made) - ids(before)
    stale = ids(before) - ids(made)
    assert not new, f"not in the catalogue (run makemessages and translate): {sorted(new)}"
    assert not stale, f"no longer in the code (run makemessages): {sorted(stale)}"


def test_the_compiled_catalogue_is_what_the_pages_read():
    assert catalogue()["Get help now"] == "Pida ayuda ahora"
