"""Test-wide setup: speed tweaks (in one place) and the named cast as fixtures."""

import copy
import fcntl
import importlib
import os
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from contextlib import ExitStack, closing
from pathlib import Path

import pytest

from taut.tests.cast import build_cast, sign_in
from taut.tests.once import EVERY_DB_TEST_USES, FAST_HASHERS, every_db_test_uses


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


# A directory the pytest-xdist workers of one run share (made and removed by the controller).
SHARED_DIR = "TAUT_TEST_SHARED_DIR"
SHARED_KEY = pytest.StashKey[str]()


def pytest_configure(config):
    if not hasattr(config, "workerinput") and SHARED_DIR not in os.environ:
        os.environ[SHARED_DIR] = tempfile.mkdtemp(prefix="taut-test-run-")
        config.stash[SHARED_KEY] = os.environ[SHARED_DIR]


def pytest_unconfigure(config):
    if shared := config.stash.get(SHARED_KEY, None):
        shutil.rmtree(shared, ignore_errors=True)
        os.environ.pop(SHARED_DIR, None)


def _sqlite_copy(source, target) -> None:
    """A consistent copy of a SQLite database (its WAL included), through the backup API."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's, but on SQLite the pytest-xdist workers of a run migrate once: the first
    to need a database migrates it and saves a copy, and each later one starts from that copy
    (migrating took each worker 8 s of CPU, about 5% of its share of the suite). The copy is
    the migrations' own result, made in this run, so they are still run and checked."""
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    database = settings.DATABASES["default"]
    shared = os.environ.get(SHARED_DIR) if os.environ.get("PYTEST_XDIST_WORKER") else None
    if keepdb or not django_db_use_migrations or not database["ENGINE"].endswith("sqlite3"):
        shared = None

    def setup(*, copied: bool):
        with django_db_blocker.unblock():
            return setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=keepdb or copied,  # a copied database is already migrated
            )

    if shared is None or aliases != {"default"}:
        db_cfg = setup(copied=False)
    else:
        migrated = Path(shared) / "migrated.sqlite3"
        test_name = database["TEST"]["NAME"]
        with open(Path(shared) / "migrated.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed
            copied = migrated.exists()
            if copied:
                _sqlite_copy(migrated, test_name)
            db_cfg = setup(copied=copied)
            if not copied:
                _sqlite_copy(test_name, migrated)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _audit_triggers(action: str):
    """Run the audit triggers' latest migration's SQL forwards ("create") or back ("drop")."""
    from django.db import connection

    migration = importlib.import_module("taut.audit.migrations.0003_unchained_events_linked_once")
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


def _flush_but_content_types(style, connection, reset_sequences=True, allow_cascade=False):
    """``sql_flush`` for every table but the content types and permissions that migrating
    made: the flush after a committing test keeps them, rather than emptying them and
    making them again (``post_migrate``, 0.1 s a test)."""
    kept = {"django_content_type", "auth_permission"}
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(
        style,
        [table for table in tables if table not in kept],
        reset_sequences=reset_sequences,
        allow_cascade=allow_cascade,
    )


@pytest.fixture
def _flush_keeps_content_types(monkeypatch):
    """Set up before ``transactional_db``, so undone only after its flush."""
    from django.core.management.commands import flush

    monkeypatch.setattr(flush, "sql_flush", _flush_but_content_types)
    # Its only receivers make the content types and permissions that were kept.
    monkeypatch.setattr(flush, "emit_post_migrate_signal", lambda *args, **kwargs: None)


@pytest.fixture
def committed_db(_audit_triggers_restored, _flush_keeps_content_types, transactional_db):
    """A database whose writes commit, so other processes (``taut worker``) see them.

    The test database is emptied afterwards, which the append-only audit triggers forbid:
    they are dropped for the flush and created again after it."""
    yield
    _audit_triggers("drop")


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise looks a file up when it is asked for, rather than listing STATIC_ROOT each
    # time a test client starts its middleware: with `collectstatic` run in the checkout
    # (1,000 files and their compressed copies) that listing cost the suite 112 s against 96.
    settings.WHITENOISE_AUTOREFRESH = True
    # Tests sign in many times a second; a test of the hashing ceiling sets its own.
    settings.PASSWORD_HASHES_PER_SECOND = 100_000
    yield
    from django.core.cache import cache

    cache.clear()  # counters kept in the cache (portal refusals) start afresh in each test


def pytest_ignore_collect(collection_path, config):
    """Unless the run selects browser tests (``-m browser``), tests/browser is not even
    imported: its tests would be deselected anyway, and importing Playwright and axe cost
    each pytest-xdist worker half a second."""
    if collection_path.name == "browser" and collection_path.parent.name == "tests":
        wanted = config.getoption("markexpr", "").replace("not browser", "")
        if "browser" not in wanted:
            return True
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Note, for each module, the fixtures that every one of its database tests asks for:
    where that includes the cast, the module builds it once (see ``_module_cast`` and
    taut/tests/once.py). Last, so only the tests selected (``-k``, ``-m``) count."""
    by_module = defaultdict(list)
    for item in items:
        if (module := item.getparent(pytest.Module)) is not None:
            by_module[module].append(item)
    for module, tests in by_module.items():
        module.stash[EVERY_DB_TEST_USES] = _used_by_every_db_test(tests)


def _used_by_every_db_test(tests) -> frozenset:
    """None when a test commits: nothing can be shared in a transaction then."""
    uses_db = [t for t in tests if "db" in t.fixturenames or t.get_closest_marker("django_db")]
    for test in uses_db:
        marks = test.iter_markers("django_db")
        if "transactional_db" in test.fixturenames or any(
            m.kwargs.get("transaction") for m in marks
        ):
            return frozenset()
    if not uses_db:
        return frozenset()
    return frozenset.intersection(*(frozenset(t.fixturenames) for t in uses_db))


@pytest.fixture(scope="module", autouse=True)
def _module_cast(request, django_db_blocker):
    """In a module whose database tests all use the cast, the cast is built once, in a
    transaction that is rolled back after the module's last test; each test runs in a
    savepoint inside it and gets its own deep copy of the objects, as Django's
    ``TestCase.setUpTestData`` does. Elsewhere (e.g. beside committing tests) None."""
    if not every_db_test_uses(request.node, "cast"):
        yield None
        return
    from django.db import transaction
    from django.test import override_settings

    request.getfixturevalue("django_db_setup")
    module_transaction = ExitStack()
    with django_db_blocker.unblock():
        module_transaction.enter_context(transaction.atomic())
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                shared = build_cast()
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.close()
            raise
    yield shared
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.close()


@pytest.fixture
def _copies():
    """One deep-copy memo per test, for the module's shared records (taut/tests/once.py)."""
    return {}


@pytest.fixture
def cast(_module_cast, _copies, db):
    """A clinic's staff in every role, an outsider from another clinic, and a patient each."""
    if _module_cast is not None:
        return copy.deepcopy(_module_cast, _copies)
    return build_cast()


@pytest.fixture
def clinic_clock_in_utc(settings):
    """The cast's clinic (which keeps the deployment's time zone) on UTC, for cases that
    give their times in UTC while CI moves TIME_ZONE to UTC+14 and UTC-11."""
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def signed_in(client):
    def sign(user):
        return sign_in(client, user)

    return sign
