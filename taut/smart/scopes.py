"""SMART App Launch 2.0 scopes: what an app asks for, what Taut grants. Pure: no Django.

The grammar is SMART App Launch 2.0.0 (STU 2), "Scopes and Launch Context"
(https://hl7.org/fhir/smart-app-launch/STU2/scopes-and-launch-context.html):

    clinical scope  = ( "patient" / "user" / "system" ) "/" ( resource type / "*" ) "." permissions
    permissions     = an ordered, non-empty subset of "c" "r" "u" "d" "s"
                      (create, read, update, delete, search), e.g. "rs", "cruds"

plus the SMART v1 forms that 2.0 servers should still accept ("Scopes for requesting clinical
data", v1 compatibility): ``.read`` (read and search, i.e. ``.rs``), ``.write`` (``.cud``) and
``.*`` (``.cruds``); and the identity and context scopes ``openid``, ``fhirUser``,
``launch/patient``, ``offline_access`` and ``online_access``.

Taut's FHIR API is read-only, so only ``r`` and ``s`` are ever granted: ``patient/X.cruds``
is granted as ``patient/X.rs`` and a scope asking only to write (``.cud``, ``.write``) is not
granted at all. Granular scopes (``patient/Observation.rs?category=…``, SMART 2.0 "Finer-
grained resource constraints") are not granted either: Taut would need every search to apply
their parameters. Anything unrecognised is simply not granted, as the spec lets a server do
("the server may grant fewer scopes than requested"); ``Scopes.text()`` is what is granted.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

CONTEXTS = ("patient", "user", "system")
PERMISSION_ORDER = "cruds"
READ_PERMISSIONS = frozenset("rs")
# The interactions of a read-only FHIR API and the permission letter each needs.
INTERACTIONS = {"read": "r", "search": "s"}
# SMART v1 permission words (SMART 2.0 "Scopes for requesting clinical data", v1 mapping).
V1_PERMISSIONS = {"read": "rs", "write": "cud", "*": "cruds"}
# Identity and launch context scopes Taut grants (standalone launch: no EHR "launch").
IDENTITY_SCOPES = ("openid", "fhirUser", "launch/patient", "offline_access", "online_access")

_CLINICAL = re.compile(r"(patient|user|system)/(\*|[A-Z][A-Za-z]{1,63})\.([a-z*]+)")

# Resource types a role without clinical read (front desk) may still read: who the patient
# is, who the staff are, the clinic and its blank forms (Taut's "demographics: read" need;
# taut/fhir/tests/test_tokens.py keeps this list equal to the FHIR registry's). Everything else
# (observations, procedures, conditions, encounters…) needs clinical read.
DEMOGRAPHIC_TYPES = ("Organization", "Patient", "Practitioner", "PractitionerRole", "Questionnaire")


def is_demographic(resource_type: str) -> bool:
    """Whether reading ``resource_type`` needs only Taut's demographics need, not clinical."""
    return resource_type in DEMOGRAPHIC_TYPES


@dataclass(frozen=True, order=True)
class ResourceScope:
    """One clinical scope: a context, a resource type (or ``*``) and permission letters."""

    context: str
    resource: str
    permissions: str  # in SMART's order, e.g. "rs"

    def text(self) -> str:
        """The scope in SMART 2.0 form, e.g. ``patient/Observation.rs``."""
        return f"{self.context}/{self.resource}.{self.permissions}"

    def covers(self, resource_type: str, letter: str) -> bool:
        return self.resource in ("*", resource_type) and letter in self.permissions


def _ordered(letters: Iterable[str]) -> str:
    chosen = set(letters)
    return "".join(c for c in PERMISSION_ORDER if c in chosen)


def parse_permissions(text: str) -> str | None:
    """The permission letters of a scope's suffix (v2 ``rs`` or v1 ``read``), or None when
    it is neither (v2 letters must come once each, in the order c, r, u, d, s)."""
    if text in V1_PERMISSIONS:
        return V1_PERMISSIONS[text]
    if not text or any(c not in PERMISSION_ORDER for c in text):
        return None
    if _ordered(text) != text:  # repeated or out of order: "sr", "rr"
        return None
    return text


def parse_resource_scope(text: str) -> ResourceScope | None:
    """``text`` as a clinical scope, with every permission it asks for (writes included),
    or None when it is not one (a granular ``?param=`` scope is not one here)."""
    match = _CLINICAL.fullmatch(text)
    if match is None:
        return None
    permissions = parse_permissions(match.group(3))
    if permissions is None:
        return None
    return ResourceScope(match.group(1), match.group(2), permissions)


@dataclass(frozen=True)
class Scopes:
    """A set of scopes Taut understands: read-only clinical scopes and identity scopes."""

    resources: tuple[ResourceScope, ...] = ()
    identity: frozenset[str] = field(default_factory=frozenset)

    def text(self) -> str:
        """Space-separated, identity scopes first, in a stable order (the token's ``scope``)."""
        names = [name for name in IDENTITY_SCOPES if name in self.identity]
        return " ".join(names + [scope.text() for scope in self.resources])

    def has(self, name: str) -> bool:
        return name in self.identity

    @property
    def contexts(self) -> frozenset[str]:
        return frozenset(scope.context for scope in self.resources)

    def allows(self, contexts: Iterable[str], resource_type: str, interaction: str) -> bool:
        """Whether a scope of one of ``contexts`` lets the app do ``interaction`` ("read" or
        "search") on ``resource_type``."""
        letter = INTERACTIONS.get(interaction)
        if letter is None:
            return False
        wanted = set(contexts)
        return any(
            scope.context in wanted and scope.covers(resource_type, letter)
            for scope in self.resources
        )

    def __bool__(self) -> bool:
        return bool(self.resources or self.identity)


def _build(resources: Iterable[ResourceScope], identity: Iterable[str]) -> Scopes:
    return Scopes(tuple(sorted(set(resources))), frozenset(identity))


def parse(text: str) -> Scopes:
    """The scopes in ``text`` (space-separated) that Taut can grant: clinical scopes cut down
    to read and search, known identity scopes; everything else dropped."""
    resources, identity = [], []
    for word in text.split():
        if word in IDENTITY_SCOPES:
            identity.append(word)
            continue
        scope = parse_resource_scope(word)
        if scope is None:
            continue
        readable = _ordered(set(scope.permissions) & READ_PERMISSIONS)
        if readable:
            resources.append(ResourceScope(scope.context, scope.resource, readable))
    return _build(resources, identity)


def unknown(text: str) -> list[str]:
    """The words of ``text`` that ``parse`` would not grant (to name them on a form)."""
    known = []
    for word in text.split():
        scope = parse_resource_scope(word)
        readable = scope is not None and set(scope.permissions) & READ_PERMISSIONS
        if word not in IDENTITY_SCOPES and not readable:
            known.append(word)
    return known


def _meet(asked: ResourceScope, allowed: ResourceScope) -> ResourceScope | None:
    """The part of ``asked`` that ``allowed`` covers, if any."""
    if asked.context != allowed.context:
        return None
    if allowed.resource in ("*", asked.resource):
        resource = asked.resource
    elif asked.resource == "*":
        resource = allowed.resource
    else:
        return None
    permissions = _ordered(set(asked.permissions) & set(allowed.permissions))
    return ResourceScope(asked.context, resource, permissions) if permissions else None


def within(asked: Scopes, allowed: Scopes) -> Scopes:
    """What of ``asked`` the ``allowed`` scopes cover (an app's registered scopes): a
    wildcard asked for against named types allowed gives those types, and so on."""
    resources = [
        met
        for scope in asked.resources
        for limit in allowed.resources
        if (met := _meet(scope, limit)) is not None
    ]
    return _build(_merge(resources), asked.identity & allowed.identity)


def _merge(resources: Iterable[ResourceScope]) -> list[ResourceScope]:
    """One scope per (context, resource), with the permissions of all of them."""
    letters: dict[tuple[str, str], set[str]] = {}
    for scope in resources:
        letters.setdefault((scope.context, scope.resource), set()).update(scope.permissions)
    return [ResourceScope(c, r, _ordered(p)) for (c, r), p in letters.items()]


def for_role(scopes: Scopes, *, clinical: bool) -> Scopes:
    """``scopes`` as a user whose role reads clinical records (``clinical``) or only
    demographics may grant them: for the latter, a wildcard becomes the demographic types
    and clinical types are dropped (Taut's roles: docs/architecture.md)."""
    if clinical:
        return scopes
    resources = []
    for scope in scopes.resources:
        if scope.resource == "*":
            resources += [ResourceScope(scope.context, t, scope.permissions)
                          for t in DEMOGRAPHIC_TYPES]  # fmt: skip
        elif is_demographic(scope.resource):
            resources.append(scope)
    return _build(_merge(resources), scopes.identity)


def in_contexts(scopes: Scopes, contexts: Iterable[str]) -> Scopes:
    """Only the clinical scopes of ``contexts`` (a backend service has only ``system``)."""
    wanted = set(contexts)
    return _build([s for s in scopes.resources if s.context in wanted], scopes.identity)


def without_identity(scopes: Scopes) -> Scopes:
    """The clinical scopes alone (client credentials carry no user, so no identity)."""
    return _build(scopes.resources, ())


def describe(scope: ResourceScope) -> str:
    """A scope in words, for the consent screen."""
    what = "all records" if scope.resource == "*" else f"{scope.resource} records"
    how = {"rs": "read and search", "r": "read", "s": "search"}[scope.permissions]
    whose = {
        "patient": "of the chosen patient",
        "user": "you can see",
        "system": "of the whole clinic",
    }[scope.context]
    return f"{how.capitalize()} {what} {whose}"


IDENTITY_WORDS = {
    "openid": "Confirm who you are",
    "fhirUser": "See your name and role as a Practitioner record",
    "launch/patient": "Know which patient you chose",
    "offline_access": "Keep access after you sign out (until revoked)",
    "online_access": "Keep access while you stay signed in",
}
