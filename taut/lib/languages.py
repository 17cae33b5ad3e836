"""Which language a patient reads: English or Spanish, chosen in one order.

1. the language the reader picked with the switch on the page (it wins on every page);
2. once the patient is known, their preferred language in the registry, when Taut has
   pages in it (English or Spanish; any other language gets English);
3. before the patient is known (the sign-in page, a link that cannot be opened), the
   browser's ``Accept-Language``;
4. English.

Pure functions on plain strings: the portal (``taut.portal.languages``) reads the cookie,
the header and the registry, and the emails read the registry; both call
:func:`choose_language` or :func:`patient_language`.
"""

OFFERED = ("en", "es")
DEFAULT = "en"


def offered(code: str | None) -> str | None:
    """``code`` as one of OFFERED (``es-MX`` is ``es``), or None when Taut has no pages in it."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in OFFERED else None


def patient_language(preferred: str | None) -> str:
    """The language of a patient's pages, emails and handouts: their preferred language
    when Taut has it, else English."""
    return offered(preferred) or DEFAULT


def from_accept_language(header: str | None) -> str | None:
    """The offered language the browser ranks highest (RFC 9110 ``Accept-Language``: by
    ``q``, then in order), or None. ``*`` and ``q=0`` choose nothing."""
    ranked = []
    for index, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and offered(tag):
            ranked.append((-quality, index, offered(tag)))
    return min(ranked)[2] if ranked else None


def choose_language(
    *, switched: str | None, preferred: str | None, known: bool, accept_language: str | None
) -> str:
    """The language of a patient page, in the order the module describes.

    ``known``: whether the page belongs to a patient (``preferred`` is theirs); before
    that, ``accept_language`` decides."""
    if offered(switched):
        return offered(switched) or DEFAULT
    if known:
        return patient_language(preferred)
    return from_accept_language(accept_language) or DEFAULT
