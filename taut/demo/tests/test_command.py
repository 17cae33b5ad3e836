"""`taut demo` (and `taut seed-scale`) seeds staff accounts with a published password: it refuses a database that
is not a local SQLite file unless told it is a throwaway."""

import socket

import pytest
from django.core.management import CommandError, call_command

from taut import links
from taut.accounts.models import User
from taut.demo.management.commands.demo import Command, local_sqlite, serving_url, use_serving_url


@pytest.mark.parametrize(
    ("engine", "local"),
    [
        ("django.db.backends.sqlite3", True),
        ("django.db.backends.postgresql", False),
        ("django.db.backends.mysql", False),
    ],
)
def test_it_knows_a_local_sqlite_file_from_a_database_server(engine, local):
    assert local_sqlite({"ENGINE": engine, "NAME": "x"}) is local


# The command refuses before it opens the database, so pointing the setting elsewhere is safe.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_it_refuses_a_database_server_without_the_flag(db, settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql",
                    "HOST": "db.example.org"},
    }  # fmt: skip
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("demo", "--no-serve", "--patients", "1")
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("seed_scale", "--patients", "2")
    assert not User.objects.filter(username="clinician").exists()


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("9000", "http://127.0.0.1:9000"),
        ("0.0.0.0:9000", "http://clinic-laptop:9000"),
        ("[::]:9000", "http://clinic-laptop:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("taut.local:8080", "http://taut.local:8080"),
    ],
)
def test_it_links_to_the_address_it_serves_on(addrport, url, monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "clinic-laptop")
    assert serving_url(addrport) == url


def test_it_builds_every_link_on_the_address_it_serves_on(settings, monkeypatch):
    """Emails, the chart's portal card and the printed examples all use links.absolute."""
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"  # the fixture restores both afterwards
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    use_serving_url("http://clinic-laptop:9000")
    assert links.absolute("/p/abc/") == "http://clinic-laptop:9000/p/abc/"
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "clinic-laptop"]


def test_it_leaves_an_explicit_portal_address_alone(settings, monkeypatch):
    monkeypatch.setenv("PORTAL_BASE_URL", "https://taut.example.org")
    settings.PORTAL_BASE_URL = "https://taut.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    use_serving_url("http://clinic-laptop:9000")
    assert links.absolute("/p/") == "https://taut.example.org/p/"
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "clinic-laptop"]


def test_its_worker_logs_warnings_only_unless_told_otherwise(monkeypatch, tmp_path):
    """The demo's worker renders hundreds of PDFs at start: not a console line for each."""
    import subprocess

    from taut.demo.management.commands.demo import Command

    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, env: started.append(env))
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("EMAIL_FILE_PATH", str(tmp_path))
    Command().start_worker("http://127.0.0.1:8000/")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    Command().start_worker("http://127.0.0.1:8000/")
    assert [env["LOG_LEVEL"] for env in started] == ["WARNING", "DEBUG"]
    assert started[0]["PORTAL_BASE_URL"] == "http://127.0.0.1:8000"


def test_its_worker_keeps_quiet_about_each_task_at_warning():
    """Django's own logger is at INFO by default: a task's start and end followed LOG_LEVEL
    only once settings named ``django.tasks`` (the demo's console showed a line per task)."""
    import os
    import subprocess
    import sys

    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.tasks').info('Task id=1 state=RUNNING'); "
        "logging.getLogger('django.tasks').warning('a warning stays')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taut.settings", "DEBUG": "true"}
    quiet = subprocess.run(
        [sys.executable, "-c", code], env={**env, "LOG_LEVEL": "WARNING"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "a warning stays" in quiet.stderr and "Task id=1" not in quiet.stderr
    env.pop("LOG_LEVEL", None)
    told = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "Task id=1" in told.stderr


def test_it_anchors_the_audit_chain_beside_its_database(settings, tmp_path, monkeypatch):
    """A new database starts a new chain: the old anchors are kept aside, not checked
    against it; the worker it starts anchors to the same file (decision 0028)."""
    import subprocess
    from datetime import UTC, datetime

    from taut.demo.management.commands.demo import Command, use_anchor_path

    settings.AUDIT_ANCHOR_PATH = ""
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "taut.sqlite3")}
    anchors = tmp_path / "taut.sqlite3-audit-anchors.log"
    anchors.write_text("taut-audit-anchor …\n")
    said = use_anchor_path(database, now=datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    assert str(anchors) == settings.AUDIT_ANCHOR_PATH
    assert f"AUDIT_ANCHOR_PATH={anchors} taut audit-verify" in said
    assert (tmp_path / "taut.sqlite3-audit-anchors.log.before-20261206-090000").exists()
    assert not anchors.exists()
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, env: started.append(env))
    monkeypatch.setenv("EMAIL_FILE_PATH", str(tmp_path))
    Command().start_worker("http://127.0.0.1:8000/")
    assert started[0]["AUDIT_ANCHOR_PATH"] == str(anchors)


def test_it_says_where_the_fhir_api_and_the_apps_page_are():
    """The demo prints the FHIR base and the Apps page, on the address it serves on."""
    printed = Command().fhir_example("http://clinic-laptop:9000/")
    assert "http://clinic-laptop:9000/fhir/metadata" in printed
    assert "http://clinic-laptop:9000/clinic/apps/" in printed
