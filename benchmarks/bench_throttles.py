"""Do the shared throttles hold with several gunicorn workers on PostgreSQL?

Starts ``gunicorn -w 3 --threads 4`` (12 requests at once) on a scratch PostgreSQL database (real Argon2 hashing;
DEBUG on only so that static files need no collectstatic), fires requests in parallel from many threads and counts how many got
past each limit. Each scenario asserts that no more than the limit passed; the figures are in
docs/security/throttles.md.

    .venv/bin/python benchmarks/bench_throttles.py [--pg postgresql://postgres@127.0.0.1:5432]

Scenarios (limits set small, through the environment):
- one username from 40 addresses (SIGN_IN_FAILURES_PER_USERNAME=10): at most 10 checked;
- 40 usernames from one address (SIGN_IN_FAILURES_PER_ADDRESS=10): at most 10 checked;
- 40 usernames from 40 addresses at once (PASSWORD_HASHES_PER_SECOND=2): at most 2 hashes
  in any one second, the rest 429 with Retry-After: 1;
- 45 made-up portal links from one address (PORTAL_REFUSALS_PER_ADDRESS=20): exactly 20
  answered "not valid", the rest 429 (the per-process cache it replaces let 45 through).
"""

import argparse
import collections
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PARALLEL = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, *, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def sign_in(port, username, address, started):
    """GET the form (a CSRF cookie and token), then POST a wrong password from ``address``
    (X-Forwarded-For, with TRUSTED_PROXY_COUNT=1); the status and when it was answered."""
    forwarded = {"X-Forwarded-For": address}
    status, headers, page = request(port, "GET", "/login/", headers=forwarded)
    if "Set-Cookie" not in headers:
        raise SystemExit(f"GET /login/ answered {status}: {page[:300]!r}")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = TOKEN.search(page).group(1).decode()
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "wrong guess 123"}
    )
    started.wait()
    status, headers, _ = request(
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
    return status, headers.get("Retry-After"), time.monotonic()


def fire(port, pairs):
    """Sign in with each (username, address) at once; the statuses and answer times."""
    import threading

    started = threading.Event()
    with ThreadPoolExecutor(len(pairs)) as pool:
        futures = [pool.submit(sign_in, port, u, a, started) for u, a in pairs]
        time.sleep(1.5)  # every thread has its form; then all POST together
        go = time.monotonic()
        started.set()
        results = [f.result() for f in futures]
    return go, results


def serve(database_url, port, limits):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRUSTED_PROXY_COUNT": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Static files from the finders (no collectstatic manifest in a checkout).
        "DEBUG": "true",
        **limits,
    }
    subprocess.run(
        [sys.executable, "-m", "taut.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "taut.wsgi",
            "-w",
            "3",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            request(port, "GET", "/login/")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    name = f"taut_bench_throttles_{os.getpid()}"
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    database_url = f"{args.pg}/{name}".replace("postgresql://", "postgres://")
    port = free_port()
    limits = {
        "SIGN_IN_FAILURES_PER_USERNAME": "10",
        "SIGN_IN_FAILURES_PER_ADDRESS": "10",
        "PASSWORD_HASHES_PER_SECOND": "1000",
        "PORTAL_REFUSALS_PER_ADDRESS": "20",
        "SIGN_IN_WINDOW_SECONDS": "900",
    }
    failures = []
    proc = serve(database_url, port, limits)
    try:
        # 1. One username from many addresses.
        _, results = fire(port, [("clinician", f"10.1.0.{n}") for n in range(PARALLEL)])
        passed = sum(status == 200 for status, _, _ in results)
        print(f"one username, {PARALLEL} addresses at once: {passed} checked (limit 10)")
        failures += [] if passed <= 10 else ["per-username"]
        # 2. Many usernames from one address.
        _, results = fire(port, [(f"user{n}", "10.2.0.1") for n in range(PARALLEL)])
        passed = sum(status == 200 for status, _, _ in results)
        print(f"{PARALLEL} usernames, one address at once: {passed} checked (limit 10)")
        failures += [] if passed <= 10 else ["per-address"]
        # 3. Portal: made-up links from one address.
        bad = [0]

        def probe(n):
            status, headers, _ = request(port, "GET", f"/p/check-in/made-up-{n}/")
            return status, headers.get("Retry-After")

        with ThreadPoolExecutor(45) as pool:
            answers = list(pool.map(probe, range(45)))
        bad[0] = sum(status == 404 for status, _ in answers)
        print(f"45 made-up portal links at once: {bad[0]} answered 404 (limit 20)")
        failures += [] if bad[0] <= 20 else ["portal refusals"]
    finally:
        proc.terminate()
        proc.wait()
    # 4. The hashing ceiling, on a fresh server with a low ceiling.
    limits.update({"PASSWORD_HASHES_PER_SECOND": "2", "SIGN_IN_FAILURES_PER_ADDRESS": "1000"})
    proc = serve(database_url, port, limits)
    try:
        go, results = fire(port, [(f"other{n}", f"10.3.0.{n}") for n in range(PARALLEL)])
        by_second = collections.Counter(int(at - go) for status, _, at in results if status == 200)
        refused = [retry for status, retry, _ in results if status == 429]
        elapsed = max(at for _, _, at in results) - go
        passed = sum(by_second.values())
        print(
            f"{PARALLEL} sign-ins at once, ceiling 2 hashes/s: {passed} hashed in {elapsed:.1f} s, "
            f"{len(refused)} answered 429 (Retry-After {sorted(set(refused))})"
        )
        ceiling = 2 * (int(elapsed) + 2)  # windows are whole seconds: the run may touch two more
        failures += [] if passed <= ceiling and all(r == "1" for r in refused) else ["hashing"]
    finally:
        proc.terminate()
        proc.wait()
        with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print("FAILED: " + ", ".join(failures) if failures else "all limits held")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
