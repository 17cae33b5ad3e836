"""Test-wide setup: speed tweaks (in one place) and the named cast as fixtures."""

import importlib
import os
import tempfile
import zoneinfo
from pathlib import Path

import pytest

from taut.tests.cast import build_cast, sign_in


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite tests use a file, not memory, so the ``taut worker`` processes that the
    reminder tests start can open the same test database. One file per pytest process:
    each pytest-xdist worker has its own (on PostgreSQL, pytest-django names them
    test_<name>_gw0, test_<name>_gw1…). In memory is no faster here: tests roll back
    instead of committing, so the file is hardly written."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(tempfile.gettempdir()) / f"taut-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


def _audit_triggers(action: str):
    """Run the append-only audit migration's SQL forwards ("create") or back ("drop")."""
    from django.db import connection

    migration = importlib.import_module("taut.audit.migrations.0002_append_only")
    vendor = connection.vendor.upper().replace("POSTGRESQL", "POSTGRES")
    statements = getattr(migration, vendor if action == "create" else f"{vendor}_REVERSE")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def _audit_triggers_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _audit_triggers("create")


@pytest.fixture
def committed_db(_audit_triggers_restored, transactional_db):
    """A database whose writes commit, so other processes (``taut worker``) see them.

    The test database is emptied afterwards, which the append-only audit triggers forbid:
    they are dropped for the flush and created again after it."""
    yield
    _audit_triggers("drop")


@pytest.fixture(autouse=True, scope="session")
def _time_zone_names_read_once():
    """``zoneinfo.available_timezones()`` walks the whole tz database on disk at each call
    (20–40 ms), and every clinic's ``full_clean`` calls it: read it once per run, as the
    tz database does not change while the tests run."""
    names = frozenset(zoneinfo.available_timezones())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zoneinfo, "available_timezones", lambda: set(names))
        yield


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    from django.core.cache import cache

    cache.clear()  # counters kept in the cache (portal refusals) start afresh in each test


@pytest.fixture
def cast(db):
    """A clinic's staff in every role, an outsider from another clinic, and a patient each."""
    return build_cast()


@pytest.fixture
def signed_in(client):
    def sign(user):
        return sign_in(client, user)

    return sign
