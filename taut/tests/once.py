"""Records that every test of a module starts from, built once for the module.

conftest.py builds the cast once in a module whose database tests all use it, inside a
transaction that is rolled back after the module's last test; each test runs in a
savepoint inside that transaction and gets its own deep copy of the objects, as Django's
``TestCase.setUpTestData`` does, so a test may change them freely. ``built_once_per_module``
does the same for a fixture that builds more records for the cast (a signed session, say).
"""

import copy
import inspect

import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The fixtures every database test of a module asks for (set at collection by conftest).
EVERY_DB_TEST_USES = pytest.StashKey[frozenset]()


def every_db_test_uses(module, name: str) -> bool:
    return name in module.stash.get(EVERY_DB_TEST_USES, frozenset())


def built_once_per_module(build, *, name: str):
    """``build(cast)`` as a fixture called ``name``: built once per module, after the shared
    cast and in its transaction, where every database test of the module uses this fixture
    (not merely one of the same name); built for each test elsewhere. Bind both fixtures
    it returns where it is defined: ``visit, _visit_once = built_once_per_module(...)``.

    Each test gets a deep copy made with its cast's copy, so the copies still point at each
    other (a shared visit's cached ``patient`` is the test's ``cast.patient``)."""
    once_name = f"_{name}_once"

    @pytest.fixture(scope="module", name=once_name)
    def once(request, _module_cast, django_db_blocker):
        if _module_cast is None or not every_db_test_uses(request.node, once_name):
            return None
        from django.test import override_settings

        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            return build(_module_cast)

    def each(**fixtures):
        shared = fixtures[once_name]
        if shared is None:
            return build(fixtures["cast"])
        return copy.deepcopy(shared, fixtures["_copies"])

    # Ask for the module-scoped part by its name, so pytest sets it up (higher scope first)
    # before this test's database savepoint.
    each.__signature__ = inspect.Signature(
        [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY)
            for n in (once_name, "cast", "_copies")
        ]
    )
    return pytest.fixture(name=name)(each), once
