"""Nothing a person reads is an identifier: every page the four demo roles (and a patient in
the portal) reach by following links shows labels, not ``snake_case`` values, Python reprs
or doubled punctuation. PDFs are read too, where poppler's ``pdftotext`` is installed.

The demo clinic is seeded once for the module; each role starts on its home page and
follows same-origin links (GET only), two pages of each URL shape for the first role and
one for the others (one patient's chart stands for all charts), up to a cap. A failure names the page and the text."""

import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from taut import links
from taut.accounts.models import User
from taut.aftercare.models import CheckIn
from taut.demo.seed import seed_demo
from taut.tests.cast import sign_in
from taut.tests.renders import drop_renders, run_renders
from taut.visits.models import Visit

PATIENTS = 10  # the fewest the demo seeder takes that still shows every kind of page
PAGES_PER_ROLE = 100
# Pages of one shape read for the first role (two patients' charts, say); each later role
# reads one of each, for what its role changes on the page.
SAME_SHAPE = 2
SAME_SHAPE_LATER = 1
# Pages slow to draw (PDFs, the body map) or the same for every role (the atlas) are read
# once for each shape in the module, by the first role that reaches them.
ONCE = re.compile(r"\.pdf$|/drawings/(new|compare)/|^/atlas/")
ROLES = ("clinician", "nurse", "frontdesk", "lead")
# Pages that change state on GET or leave the site's pages.
SKIP = re.compile(r"^/(logout|sign-out|p/sign-out|admin|static|media)/|\.csv$|/export")
PDFTOTEXT = shutil.which("pdftotext")

# What a person should never read.
PROBLEMS = [
    (
        "an identifier in snake_case",
        re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9]\b"),
    ),
    ("a Python dict or list", re.compile(r"[{\[]\s*'[^']*'\s*[:,\]]")),
    # "None due." and an option labelled "None" are English; None where a value belongs
    # ("Dose: None", "None/10", "(None)") and a bare True or False are Python's.
    (
        "a Python value",
        re.compile(
            r"[:=(]\s*(None|True|False)\b|\b(None|True|False)\s*(/|%|mg\b|mL\b|\))"
            r"|^(True|False)$|(?<![\w'’-])(True|False)(?=[,;])"
        ),
    ),
    ("a Python object repr", re.compile(r"<\w+(\.\w+)* object|\b[A-Z]\w+ object \(\d+\)")),
    (
        "doubled punctuation",
        re.compile(r"(?<!\.)\.\.(?!\.)|[,;:]\s*[,;:.]|\.\s*,|\s[.,;:](?=\s|$)"),
    ),
]


class _Text(HTMLParser):
    """The text a person sees: no scripts, styles, templates or attributes. Text in
    ``<code>`` is verbatim protocol text a person copies (a connected app's SMART scopes and
    client id), not words to label, as addresses are."""

    HIDDEN = {"script", "style", "template", "noscript", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hrefs: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)
        if tag in {"p", "div", "li", "td", "th", "br", "tr", "h1", "h2", "h3", "option", "dd"}:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in {"td", "th", "dt", "dd", "li", "p", "div", "option", "label", "button"}:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"[ \t\r\f\v]+", " ", "".join(self.parts))


def _shape(url: str) -> str:
    """One pattern per kind of page: ids, tokens and numbers stand in for each other."""
    parts = urlsplit(url)
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", parts.path)
    path = re.sub(r"/(home|check-in|before-your-visit)/[^/]+/", r"/\1/<token>/", path)
    path = re.sub(r"^/atlas/muscles/[^/]+/", "/atlas/muscles/<muscle>/", path)
    path = re.sub(r"\d+", "<n>", path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


# Addresses a person copies are not words to label.
ADDRESSES = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+")


def problems_in(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        line = line.strip()
        words = ADDRESSES.sub("", line)
        for what, pattern in PROBLEMS:
            for match in pattern.finditer(words):
                found.append(f"{what}: {match.group(0)!r} in {line[:160]!r}")
    return found


def visible_problems(html: str) -> list[str]:
    """``problems_in`` the text a person sees on an HTML page (for one page's own test)."""
    parser = _Text()
    parser.feed(html)
    return problems_in(parser.text())


def _html_text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return parser.text()


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        [PDFTOTEXT, "-q", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def crawl(
    client: Client,
    start: list[str],
    *,
    read_once: set[str],
    cap: int = PAGES_PER_ROLE,
    same_shape: int = SAME_SHAPE,
) -> dict[str, list[str]]:
    """Follow links from ``start``; return {url: [problem, …]} for every page read.
    ``read_once`` holds the ONCE shapes already read (shared by the module's crawls)."""
    queue = deque(start)
    seen_urls: set[str] = set()
    shapes: dict[str, int] = {}
    report: dict[str, list[str]] = {}
    while queue and len(report) < cap:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        shape = _shape(url)
        if ONCE.search(urlsplit(url).path):
            if shape in read_once:
                continue
            read_once.add(shape)
        elif shapes.get(shape, 0) >= same_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        if url.endswith(".pdf") and response.get("Content-Type", "").startswith("text/html"):
            # "Preparing the PDF…": read it, let the worker render, and read the PDF.
            report[f"{url} (preparing)"] = problems_in(_html_text(response))
            run_renders()
            response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.appendleft(urljoin(url, response["Location"]))
            continue
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        kind = response.get("Content-Type", "")
        if kind.startswith("application/pdf"):
            if PDFTOTEXT:
                report[url] = problems_in(_pdf_text(response.content))
            continue
        if not kind.startswith("text/html"):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        report[url] = problems_in(parser.text())
        for href in parser.hrefs:
            target = urldefrag(urljoin(url, href)).url
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path) and local not in seen_urls:
                queue.append(local)
    return report


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """A small demo clinic for the whole module, rolled back at its end."""
    now = timezone.now()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        result = seed_demo(seed=2026, patients_wanted=PATIENTS, now=now)
        drop_renders()  # the crawl renders the PDFs it reads, not every seeded one
        yield result.clinic, now
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def read_once():
    return set()


def _failures(report: dict[str, list[str]]) -> str:
    """Each page with its distinct problems (the first five)."""
    lines = []
    for url, found in report.items():
        distinct = list(dict.fromkeys(found))
        if distinct:
            lines.append(f"{url}\n    " + "\n    ".join(distinct[:5]))
    return "\n".join(lines)


@pytest.mark.parametrize("username", ROLES)
def test_it_shows_each_staff_role_labels_not_identifiers(seeded, db, read_once, username):
    client = sign_in(Client(), User.objects.get(username=username))
    same_shape = SAME_SHAPE if username == ROLES[0] else SAME_SHAPE_LATER
    report = crawl(client, ["/"], read_once=read_once, same_shape=same_shape)
    assert len(report) > 5 or username == "frontdesk", sorted(report)
    assert not any(report.values()), "Raw text on pages:\n" + _failures(report)


def test_it_shows_a_patient_labels_not_identifiers(seeded, db, read_once):
    """The portal as a patient reaches it: their home page, a check-in and a pre-visit
    intake, each through its link."""
    _, now = seeded
    start = []
    answered = CheckIn.objects.filter(nrs__isnull=False).select_related("patient").first()
    start.append(links.home_url(answered.patient, now=now))
    if checkin := CheckIn.objects.filter(nrs__isnull=True).order_by("due_on").first():
        start.append(links.checkin_url(checkin))
    if visit := Visit.objects.filter(scheduled_for__gt=now).order_by("scheduled_for").first():
        start.append(links.intake_url(visit))
    report = crawl(Client(), [urlsplit(url).path for url in start], read_once=read_once, cap=20)
    assert report, start
    assert not any(report.values()), "Raw text on pages:\n" + _failures(report)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Status: Not_confirmed", "snake_case"),
        ("Risk: nerve_injury.", "snake_case"),
        ("{'change': 'intake', 'version': 4}", "dict"),
        ("Dose: None", "Python value"),
        ("<Visit object at 0x7f>", "object repr"),
        ("call 911 if they come..", "doubled punctuation"),
        ("2 mL (10.0 mg) ; lot 7", "doubled punctuation"),
        ("None due. Nothing to do… Wait...", ""),
        ("See https://example.org/a_b or ann_lee@example.org", ""),
    ],
)
def test_it_tells_raw_text_from_words(text, found):
    problems = problems_in(text)
    if found:
        assert problems and found in problems[0], problems
    else:
        assert problems == []
