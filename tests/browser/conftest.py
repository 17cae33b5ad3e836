"""Fixtures for the real-Chromium browser tests (run with ``pytest -m browser tests/browser``).

One demo clinic per session: a fresh SQLite file in a temp directory, seeded by
``taut demo --no-serve`` and served by a real gunicorn process, with a ``taut worker``
beside it that renders the PDFs. (pytest-django's
``live_server`` can't be used: the audit table's triggers forbid DELETE, so the
flush between TransactionTestCase tests fails.)

Chromium is Debian's (/usr/bin/chromium; ``apt-get install -y chromium``). Without
it the tests skip, unless TAUT_REQUIRE_BROWSER=1, when they fail instead (CI).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "taut-demo-clinic"  # taut/demo/seed.py; synthetic demo clinic only
DEMO_PATIENTS = 40
STARTUP_TIMEOUT = 30.0
DEFAULT_TIMEOUT_MS = 10_000
VENV_BIN = Path(sys.executable).parent
_SERVER_LOG: dict[str, Path] = {}  # the running gunicorn's log, quoted when a page fails


# --- the app server ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database_url: str, static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A *_FILE variable would override ours (taut.lib.env), so drop it.
    env.pop("DATABASE_URL_FILE", None)
    env.update(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        HTTPS="false",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    return env


def _wait_healthy(base_url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {proc.returncode} before /healthz answered:\n"
                + log.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = repr(exc)
        time.sleep(0.2)
    pytest.fail(
        f"gunicorn didn't answer GET /healthz with 200 within {STARTUP_TIMEOUT:.0f}s "
        f"({last_error}):\n" + log.read_text(errors="replace")[-4000:]
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of a seeded demo clinic served by gunicorn."""
    workdir = tmp_path_factory.mktemp("taut-browser")
    env = _server_env(f"sqlite:///{workdir / 'taut.sqlite3'}", workdir / "static")
    seed = subprocess.run(
        [str(VENV_BIN / "taut"), "demo", "--no-serve", "--patients", str(DEMO_PATIENTS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if seed.returncode != 0:
        pytest.fail(f"`taut demo --no-serve` failed:\n{seed.stdout[-3000:]}\n{seed.stderr[-3000:]}")

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "gunicorn.log"
    _SERVER_LOG["path"] = log
    command = [
        sys.executable, "-m", "gunicorn", "taut.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-",
        # Don't take over ~/.gunicorn/gunicorn.ctl from a developer's own server.
        "--no-control-socket",
    ]  # fmt: skip
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            command,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    # PDFs are rendered by the worker, never in a request (docs/decisions/0019): a worker
    # for the "printing" queue only, so no email is sent behind a test's back.
    with (workdir / "worker.log").open("wb") as log_file:
        worker = subprocess.Popen(
            [str(VENV_BIN / "taut"), "worker", "--queue", "printing", "--interval", "0.5"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(base_url, proc, log)
        yield base_url
    finally:
        for running in (proc, worker):
            running.terminate()
            try:
                running.wait(timeout=10)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait(timeout=10)


# --- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if os.environ.get("TAUT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TAUT_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class PageProblems:
    """Console errors (CSP violations show up here) and uncaught exceptions on a page."""

    def __init__(self, page) -> None:
        self.items: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.items.append(f"pageerror on {page.url}: {error}"))

    def _on_console(self, message) -> None:
        if message.type in ("error", "assert"):
            where = message.location.get("url") or "?"
            if where.endswith("/favicon.ico") and "status of 404" in message.text:
                # The app declares no icon, so Chromium probes /favicon.ico, at a
                # moment that varies; that 404 is noise (a 500 there still fails).
                return
            self.items.append(f"console.{message.type} ({where}): {message.text}")

    def take(self) -> list[str]:
        items, self.items = self.items, []
        return items


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def new_page(request: pytest.FixtureRequest, browser, server) -> Iterator[Callable[..., object]]:
    """Factory: a page in a fresh browser context (own cookies), watched for console errors.

    Each test's pages are checked again at teardown, so an error nobody asserted on
    still fails the test (unless the test already failed: no need to say it twice).
    """
    contexts = []
    watched: list[tuple[object, PageProblems]] = []

    def make(width: int = 1280, height: int = 800, **context_options):
        context = browser.new_context(
            base_url=server, viewport={"width": width, "height": height}, **context_options
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems(page)
        watched.append((page, page.problems))
        return page

    yield make
    leftovers = [item for _, problems in watched for item in problems.take()]
    for context in contexts:
        context.close()
    if request.node.stash.get(_CALL_FAILED, False):
        return
    assert not leftovers, (
        "console errors / CSP violations:\n" + "\n".join(leftovers) + _server_errors(leftovers)
    )


@pytest.fixture
def page(new_page):
    """A 1280x800 page in its own browser context."""
    return new_page()


# --- helpers ----------------------------------------------------------------------------


def _server_errors(problems: list[str]) -> str:
    """The exception lines of gunicorn's log, when the page saw an HTTP 5xx."""
    log = _SERVER_LOG.get("path")
    if not log or not any("status of 5" in problem for problem in problems):
        return ""
    lines = log.read_text(errors="replace").splitlines()
    exceptions = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]
    return f"\nserver log {log} says:\n" + "\n".join(exceptions[-5:])


def assert_no_page_errors(page, response=None) -> None:
    """Fail if the page logged a console error, CSP violation or uncaught exception.

    Given the response of a ``page.goto``, also fail unless it was a success.
    """
    problems = page.problems.take()
    if response is not None and not response.ok:
        problems.insert(0, f"{response.url} answered with a status of {response.status}")
    assert not problems, f"on {page.url}:\n" + "\n".join(problems) + _server_errors(problems)


@pytest.fixture
def check_page() -> Callable[..., None]:
    """``check_page(page[, response])``: no console errors / CSP violations since the last
    check (and, given a ``page.goto`` response, that it succeeded)."""
    return assert_no_page_errors


@pytest.fixture
def login() -> Callable[..., None]:
    """``login(page, username)``: sign in as a demo user and land on the patients list."""

    def log_in(page, username: str = "clinician", password: str = DEMO_PASSWORD) -> None:
        assert_no_page_errors(page, page.goto("/login/"))
        page.locator('input[name="username"]').fill(username)
        page.locator('input[name="password"]').fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/patients/$"))
        page.wait_for_load_state("load")

    return log_in


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[object, str], Path]:
    """``screenshot(page, step)`` saves artifacts/screenshots/<test name>-<step>.png."""
    directory = request.config.rootpath / "artifacts" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(page, step: str) -> Path:
        path = directory / f"{test_name}-{re.sub(r'[^\w.-]+', '_', step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
