"""The sign-in throttles hold across processes (issue 16, decision 0033): ``gunicorn -w 3
--threads 4`` on the PostgreSQL test database, sign-ins fired at once from many threads.

- one username from many addresses: no more than SIGN_IN_FAILURES_PER_USERNAME are checked;
- many usernames from one address: no more than SIGN_IN_FAILURES_PER_ADDRESS are checked;
the rest are answered 429 with Retry-After, before any password is hashed.

PostgreSQL only (CI runs the suite again on it): on SQLite the module is skipped before any
fixture is set up, so the README's test command does not pay for it. The server sees the
test database because the test commits (``committed_db``, emptied afterwards). Addresses
come from X-Forwarded-For, trusted with TRUSTED_PROXY_COUNT=1 as behind the proxy.
benchmarks/bench_throttles.py measures the same with larger numbers and the hashing ceiling.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="several gunicorn workers sharing the throttles: PostgreSQL only",
)

ROOT = Path(__file__).resolve().parents[3]
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PARALLEL = 24
LIMIT = 5
WINDOW = 900
STARTUP_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, *, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _sign_in(port: int, username: str, address: str, go: threading.Event):
    """GET the form (CSRF cookie and token), wait for ``go``, POST a wrong password from
    ``address``: the status and Retry-After."""
    forwarded = {"X-Forwarded-For": address}
    status, headers, page = _request(port, "GET", "/login/", headers=forwarded)
    assert status == 200, page[:300]
    cookie = headers["Set-Cookie"].split(";")[0]
    found = TOKEN.search(page)
    assert found is not None, page[:300]
    token = found.group(1).decode()
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "wrong guess 123"}
    )
    go.wait(timeout=20)
    status, headers, _ = _request(
        port,
        "POST",
        "/login/",
        body=body,
        headers={
            **forwarded,
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return status, headers.get("Retry-After")


def _fire(port: int, pairs: list[tuple[str, str]]) -> list[tuple[int, str | None]]:
    """Sign in with each (username, address): every thread gets its form, then all POST."""
    # A fixed window must not end mid-burst (it would start the counts again).
    if time.time() % WINDOW > WINDOW - 10:
        time.sleep(WINDOW - time.time() % WINDOW + 0.5)
    go = threading.Event()
    with ThreadPoolExecutor(len(pairs)) as pool:
        futures = [pool.submit(_sign_in, port, user, address, go) for user, address in pairs]
        time.sleep(1.0)
        go.set()
        return [future.result() for future in futures]


def _database_url() -> str:
    db = settings.DATABASES["default"]  # the test database's, once committed_db set it up
    credentials = urllib.parse.quote(db["USER"] or "postgres", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def server(committed_db, tmp_path):
    from django.db import connections

    connections.close_all()  # nothing of ours open on the database the server uses
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL_FILE", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=_database_url(),
        TRUSTED_PROXY_COUNT="1",
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="true",  # static files from the finders: no collectstatic in a checkout
        HTTPS="false",
        SIGN_IN_FAILURES_PER_USERNAME=str(LIMIT),
        SIGN_IN_FAILURES_PER_ADDRESS=str(LIMIT),
        SIGN_IN_WINDOW_SECONDS=str(WINDOW),
        PASSWORD_HASHES_PER_SECOND="100000",
    )
    log = tmp_path / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "taut.wsgi", "-w", "3", "--threads", "4",
        "-b", f"127.0.0.1:{port}", "--no-control-socket",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + log.read_text(errors="replace")[-3000:])
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_no_more_than_the_limit_are_checked_by_three_workers(server):
    scenarios = {
        # One username sprayed from many addresses meets the per-username limit ...
        "one username": [("pat.example", f"10.1.0.{n}") for n in range(PARALLEL)],
        # ... many usernames from one address meet the per-address limit.
        "one address": [(f"guess{n}", "10.2.0.1") for n in range(PARALLEL)],
    }
    for scenario, pairs in scenarios.items():
        answers = _fire(server, pairs)

        statuses = sorted(status for status, _ in answers)
        checked = statuses.count(200)  # a wrong password: the form again
        refused = [retry for status, retry in answers if status == 429]
        assert checked + len(refused) == PARALLEL, (scenario, statuses)
        # Never more than the limit; and no honest try below it was refused.
        assert checked == LIMIT, (scenario, statuses)
        assert all(retry and 0 < int(retry) <= WINDOW for retry in refused), (scenario, refused)
