"""Compiled bytecode for the test run, kept out of the checkout (a pytest plugin: ``-p
taut.tests.bytecode`` in pyproject.toml's addopts, so it is loaded before pytest-django
imports the apps, which conftest.py is too late for).

Where ``PYTHONDONTWRITEBYTECODE`` is set (as in the containers Taut is built in), every
pytest-xdist worker compiled all of Taut and its tests again on each run (about 5 s of each
worker's start-up), and so did every Python process a test starts (``taut worker``,
``manage.py check --deploy``…, about 0.7 s each). Here the suite's processes keep Taut's
bytecode under the virtualenv, beside the bytecode pip already wrote there for every
installed package (``sys.pycache_prefix``): no ``__pycache__`` appears in the checkout, and
deleting the virtualenv deletes it. Python checks each file against its source, so a stale
one is never used. Outside a virtualenv the cache is the run's own and removed at its end.
Where the variable is not set, Python's own ``__pycache__`` is used and this does nothing;
setting ``PYTHONPYCACHEPREFIX`` yourself also turns it off. See
docs/decisions/0041-test-suite-start-up.md.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

# Made by the first process of a run when not in a virtualenv; removed at the run's end.
_made: str | None = None

if sys.dont_write_bytecode and "PYTHONPYCACHEPREFIX" not in os.environ:
    if sys.prefix != sys.base_prefix:
        prefix = str(Path(sys.prefix) / "taut-pycache")
    else:
        prefix = _made = tempfile.mkdtemp(prefix="taut-test-pycache-")
    # The processes the run starts (pytest-xdist workers, `taut worker`…) inherit these.
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


def pytest_unconfigure(config):
    if _made is not None:
        shutil.rmtree(_made, ignore_errors=True)
