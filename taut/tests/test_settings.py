import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]


def test_it_opens_sqlite_in_wal_mode_with_full_sync(tmp_path, django_db_blocker):
    """Whatever DATABASE_URL this run uses, the SQLite default must be durable (REL-CFG-01)."""
    from taut import settings as module

    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "check.sqlite3"),
        "OPTIONS": module.SQLITE_OPTIONS,
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
    wrapper = DatabaseWrapper(config, alias="pragma-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()


def test_it_documents_every_environment_variable_in_env_example():
    sources = [ROOT / "taut" / "settings.py", ROOT / "taut" / "cli.py"]
    used = set()
    for path in sources:
        used |= set(re.findall(r'env(?:str|bool|int|list)\("([A-Z_]+)"', path.read_text()))
        used |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', path.read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used, "found no variables: the pattern is stale"
    assert used - {"DJANGO_SETTINGS_MODULE"} <= documented, used - documented


def oidc_key_file(tmp_path) -> str:
    """A deployment's own OpenID Connect signing key (taut.smart refuses the development one)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "oidc.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def test_it_passes_the_deployment_checklist_with_production_settings(tmp_path):
    env = {
        "OIDC_RSA_PRIVATE_KEY_FILE": oidc_key_file(tmp_path),
        **os.environ,
        "SECRET_KEY": "k" * 20 + "x9Q-long-random-production-key-for-the-check-only-" + "z" * 10,
        "AUDIT_HMAC_KEY": "audit-key-for-the-check-only",
        "AUDIT_ANCHOR_PATH": str(tmp_path / "audit-anchors.log"),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "taut.example.org",
        "HTTPS": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "smtp.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_fails_the_deployment_checklist_with_the_development_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "AUDIT_HMAC_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
    assert "taut.E001" in result.stdout + result.stderr


DATABASE_CHECK = """
import importlib, json, os, sys
from taut import settings
found = []
for env in json.loads(sys.argv[1]):
    os.environ.update(env)
    found.append(importlib.reload(settings).DATABASES["default"])
print(json.dumps(found, default=repr))
"""


def _database_settings(*envs: dict[str, str]) -> list[dict]:
    """The default database as settings.py builds it from each environment in turn (one
    fresh interpreter, settings read again for each, as a server reads them at start)."""
    out = subprocess.run(
        [sys.executable, "-c", DATABASE_CHECK, json.dumps(envs)],
        env={k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_it_pools_postgresql_connections_and_keeps_none_open_outside_the_pool():
    postgres = "postgres://taut@db.invalid:5432/taut"
    pooled, plain, sqlite = _database_settings(
        {"DATABASE_URL": postgres},
        {"DATABASE_URL": postgres, "DATABASE_POOL": "false"},
        {"DATABASE_URL": "sqlite:////tmp/taut-settings-check.sqlite3", "DATABASE_POOL": "true"},
    )
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses a pool beside persistent connections
    assert pooled["OPTIONS"]["pool"]["max_size"] == 4
    assert "check_connection" in pooled["OPTIONS"]["pool"]["check"]
    assert "pool" not in plain.get("OPTIONS", {}) and plain["CONN_MAX_AGE"] == 60
    assert "pool" not in sqlite["OPTIONS"]


def test_it_plans_postgresql_queries_without_parallel_workers_unless_asked():
    postgres = "postgres://taut@db.invalid:5432/taut"
    default, pooled_off, asked, sqlite = _database_settings(
        {"DATABASE_URL": postgres},
        {"DATABASE_URL": postgres, "DATABASE_POOL": "false"},
        {"DATABASE_URL": postgres, "DATABASE_PARALLEL_WORKERS": "2"},
        {"DATABASE_URL": "sqlite:////tmp/taut-settings-check.sqlite3"},
    )
    assert default["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0 -c jit=off"
    assert pooled_off["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0 -c jit=off"
    assert asked["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=2 -c jit=off"
    assert "options" not in sqlite["OPTIONS"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_its_connections_start_without_parallel_plans(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


STATIC_CHECK = """
import json
import django
from django.core.management import call_command
django.setup()
call_command(
    "collectstatic", "--noinput", "-v0",
    *("-i", "admin", "-i", "django_htmx", "-i", "django_otp_webauthn"),
)
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("taut/taut.css")
response = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
print(json.dumps({"url": url, "status": response.status_code,
                  "encoding": response.get("Content-Encoding", ""),
                  "cache": response.get("Cache-Control", ""), "vary": response.get("Vary", ""),
                  "cors": response.get("Access-Control-Allow-Origin", ""),
                  "policy": response.get("Permissions-Policy", "")}))
"""


def test_it_serves_static_files_compressed_and_cached_for_good_in_production(tmp_path):
    """collectstatic writes hashed, compressed copies; WhiteNoise serves them brotli-encoded
    with a year-long, immutable cache (the admin's, django-htmx's and the passkey library's
    files skipped to keep the test fast: compressing them was two thirds of its time),
    for Taut's own pages only (no ``Access-Control-Allow-Origin``) and with the
    ``Permissions-Policy`` every response carries."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "taut.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", STATIC_CHECK],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    served = json.loads(out.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/taut/taut\.[0-9a-f]{12}\.css", served["url"]), served
    assert served["status"] == 200
    assert served["encoding"] == "br"
    assert "immutable" in served["cache"] and "max-age=315360000" in served["cache"]
    assert "Accept-Encoding" in served["vary"]
    assert served["cors"] == ""
    assert "camera=()" in served["policy"]
    assert (tmp_path / "static" / "taut" / "taut.css.gz").exists()
