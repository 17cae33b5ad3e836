"""Throttles that every server process shares: counts in fixed windows, kept in the database
(``ThrottleCount``) or, when ``REDIS_URL`` is set, in Django's cache on Redis.

A try is counted *before* the work it guards (a password hash, a look-up), in one atomic
statement that returns the new count, so parallel requests from several workers cannot all
read "under the limit" and then each do the work: at most ``limit`` tries pass in a window,
whatever the number of processes. The count of a try that turns out fine is given back
(``give_back``), so a limit of failures counts failures.

Keys name a scope and a keyed hash (SECRET_KEY) of the address, username or email, never
the value itself: the table holds nothing a reader could use, and no patient identifier.

Time is an input: every function takes ``now`` (aware), and a window is the multiple of its
length that holds ``now`` (seconds since the epoch), so tests pin it.

docs/decisions/0033-throttles.md; docs/security/throttles.md.
"""

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.crypto import salted_hmac

from taut.accounts.models import ThrottleCount

logger = logging.getLogger("taut.throttles")


@dataclass(frozen=True)
class Limit:
    """At most ``count`` tries per ``seconds`` for one key of ``scope``."""

    scope: str
    count: int
    seconds: int

    def key(self, value: str = "") -> str:
        """The store's key for ``value`` (a keyed hash), or the scope alone for a global one."""
        if not value:
            return self.scope
        digest = salted_hmac("taut.throttle", value, algorithm="sha256").hexdigest()[:64]
        return f"{self.scope}:{digest}"


class Throttled(Exception):
    """Past ``scope``'s limit: try again in ``retry_after`` seconds. ``first`` is true for the
    one try that went past it in this window (audit that one, not every refusal)."""

    def __init__(self, scope: str, *, retry_after: int, first: bool):
        self.scope = scope
        self.retry_after = retry_after
        self.first = first
        super().__init__(f"Too many tries ({scope}); retry after {retry_after} s.")

    @property
    def audited(self) -> bool:
        """Whether to audit this refusal: the first one of its window, about an address or
        a username. The hashing ceiling concerns nobody in particular: it is logged."""
        return self.first and self.scope != HASHES

    @property
    def minutes(self) -> int:
        """The wait in whole minutes, rounded up (what a person reads)."""
        return math.ceil(self.retry_after / 60)


def window_start(now: datetime, seconds: int) -> datetime:
    """The start of the fixed window of ``seconds`` that holds ``now``."""
    if now.tzinfo is None:
        raise ValueError("now: an aware datetime is required")
    if seconds < 1:
        raise ValueError("seconds: a window is at least one second")
    epoch = math.floor(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def retry_after(now: datetime, seconds: int) -> int:
    """Whole seconds until the window that holds ``now`` ends (at least 1)."""
    end = window_start(now, seconds) + timedelta(seconds=seconds)
    return max(1, math.ceil((end - now).total_seconds()))


def hit(key: str, *, seconds: int, now: datetime, amount: int = 1) -> int:
    """Add ``amount`` to ``key``'s count in the window holding ``now``; the new count."""
    return add(key, start=window_start(now, seconds), seconds=seconds, amount=amount)


def add(key: str, *, start: datetime, seconds: int, amount: int = 1) -> int:
    """Add ``amount`` to ``key``'s count in the window of ``seconds`` that starts at
    ``start`` (a caller with windows of its own, such as a clinic's day, passes the start);
    the new count. Inside a transaction, with the database store, a rollback undoes it."""
    if settings.THROTTLE_STORE == "cache":
        return _hit_cache(key, start, seconds, amount)
    return _hit_database(key, start, amount)


# Portable SQL (SQLite 3.35+, PostgreSQL 9.5+); the table is ThrottleCount's.
UPSERT = (
    'INSERT INTO "accounts_throttlecount" ("key", "window_start", "count") VALUES (%s, %s, %s) '
    'ON CONFLICT ("key", "window_start") '
    'DO UPDATE SET "count" = "accounts_throttlecount"."count" + %s RETURNING "count"'
)


def _hit_database(key: str, start: datetime, amount: int) -> int:
    # One statement, atomic on SQLite (3.35+) and PostgreSQL: insert the window's row or add
    # to it, and read the count this statement left. Autocommit outside a transaction, so the
    # row is not held locked while the caller hashes a password.
    with connection.cursor() as cursor:
        # The window as the ORM stores it (naive UTC text on SQLite), so ORM reads match.
        stored = connection.ops.adapt_datetimefield_value(start)
        cursor.execute(UPSERT, [key, stored, amount, amount])
        return int(cursor.fetchone()[0])


def _hit_cache(key: str, start: datetime, seconds: int, amount: int) -> int:
    # Redis INCR is atomic; ``add`` makes the window's key (with an expiry) only if missing.
    name = f"taut-throttle:{key}:{int(start.timestamp())}"
    cache.add(name, 0, timeout=seconds + 60)
    try:
        return cache.incr(name, amount)
    except ValueError:  # expired between add and incr
        cache.add(name, 0, timeout=seconds + 60)
        return cache.incr(name, amount)


def count(key: str, *, seconds: int, now: datetime) -> int:
    """``key``'s count in the window holding ``now`` (for tests and the docs' figures)."""
    start = window_start(now, seconds)
    if settings.THROTTLE_STORE == "cache":
        return int(cache.get(f"taut-throttle:{key}:{int(start.timestamp())}", 0))
    found = ThrottleCount.objects.filter(key=key, window_start=start).values_list("count")
    return found[0][0] if found else 0


def take(limit: Limit, value: str = "", *, now: datetime) -> None:
    """Count one try of ``value`` against ``limit``; ``Throttled`` past it (the try stays
    counted: a refused try is a try)."""
    counted = hit(limit.key(value), seconds=limit.seconds, now=now)
    if counted > limit.count:
        raise Throttled(
            limit.scope,
            retry_after=retry_after(now, limit.seconds),
            first=counted == limit.count + 1,
        )


def give_back(limit: Limit, value: str = "", *, now: datetime) -> None:
    """Undo one try of ``value`` (it succeeded, or a later limit refused it before the work)."""
    hit(limit.key(value), seconds=limit.seconds, now=now, amount=-1)


# --- sign-in: staff and the patient portal ----------------------------------------------------

HASHES = "password-hashes"


def sign_in_limits() -> tuple[Limit, Limit, Limit]:
    """Failed sign-ins per address and per username (staff) or email (portal), and the
    password hashes of all processes per second; read from settings at call time."""
    window = settings.SIGN_IN_WINDOW_SECONDS
    return (
        Limit("sign-in-address", settings.SIGN_IN_FAILURES_PER_ADDRESS, window),
        Limit("sign-in-username", settings.SIGN_IN_FAILURES_PER_USERNAME, window),
        Limit(HASHES, settings.PASSWORD_HASHES_PER_SECOND, 1),
    )


@dataclass(frozen=True)
class SignInTry:
    """A sign-in try that passed every throttle: ``succeeded`` gives its counts back."""

    address: str
    username: str
    now: datetime

    def succeeded(self) -> None:
        by_address, by_username, _ = sign_in_limits()
        give_back(by_address, self.address, now=self.now)
        give_back(by_username, self.username, now=self.now)


def take_sign_in(*, address: str, username: str, now: datetime) -> SignInTry:
    """Count a sign-in try before its password is hashed, or raise ``Throttled``.

    In order: the address's failures, the username's failures (independent: spraying many
    usernames from one address meets the first, one username from many addresses the
    second), then the global ceiling on password hashes per second. A try refused by the
    ceiling is given back to the address and username (it cost no hash and says nothing
    about them); one refused by the address or username never reaches the ceiling, so a
    throttled attacker cannot spend everyone's hashing budget. Every try that passes costs
    one hash, whether or not the username exists (an unknown one costs a dummy hash).
    ``username`` is compared case-insensitively: an email, or a staff username.
    """
    username = username.strip().casefold()
    by_address, by_username, hashes = sign_in_limits()
    take(by_address, address or "-", now=now)
    try:
        take(by_username, username, now=now)
    except Throttled:
        give_back(by_address, address or "-", now=now)
        raise
    try:
        take(hashes, now=now)
    except Throttled as error:
        give_back(by_address, address or "-", now=now)
        give_back(by_username, username, now=now)
        if error.first:
            logger.warning("Password hashing ceiling reached: sign-ins answered 429 this second")
        raise
    return SignInTry(address=address or "-", username=username, now=now)


# --- upkeep ----------------------------------------------------------------------------------

# Windows kept after they start: the longest window (a clinic's day, for the public page's
# appointment requests) and a margin.
KEEP = timedelta(days=2)


def purge_counts(*, now: datetime) -> int:
    """Delete the counts of windows that started two days or more before ``now`` (run by
    ``taut purge-requests``); how many."""
    deleted, _ = ThrottleCount.objects.filter(window_start__lt=now - KEEP).delete()
    return deleted
