"""``taut worker`` as real processes on the test database: each reminder goes out exactly
once when a worker stops and another starts, and when two workers run at once."""

import os
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from taut.aftercare.tests.flow import signed
from taut.reminders import services
from taut.reminders.models import Reminder
from taut.tests.cast import make_patient

pytestmark = pytest.mark.usefixtures("committed_db")
PATIENTS = 8  # with three tasks each, enough that a worker stopped after 5 leaves some


def database_url() -> str:
    """The test database, as a DATABASE_URL for another process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(mail_dir: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PORTAL_BASE_URL": "https://taut.example.org",
    }
    # The emails' queue only: the PDFs the signings queued render on "printing" (tested in
    # taut/workflows/tests/test_printing.py) and would only slow these runs.
    command = [
        sys.executable, "-m", "taut.cli", "worker", "--queue", "default", "--verbosity", "0",
        *args,
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(*workers: subprocess.Popen) -> None:
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()


def recipients(mail_dir: Path) -> list[str]:
    """The To: address of every message the file backend wrote (one per message)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                found.append(message_from_bytes(chunk.strip() + b"\n")["To"])
    return found


@pytest.fixture
def due(cast):
    """A due check-in reminder for each of PATIENTS patients (each its own address), each
    also enqueued twice more, as a sweep and a retry might."""
    cast.patient.email = ""
    cast.patient.save()
    reminders = []
    for number in range(PATIENTS):
        patient = make_patient(
            cast.clinic, cast.nurse, mrn=f"W{number:04}", email=f"patient{number}@example.org"
        )
        visit = signed(patient, cast.clinician)
        reminder = Reminder.objects.get(checkin__visit=visit, checkin__checkpoint="day_1")
        Reminder.objects.filter(pk=reminder.pk).update(
            send_after=timezone.now() - timedelta(minutes=5)
        )
        reminder.refresh_from_db()
        for _ in range(2):
            services.enqueue(reminder, now=timezone.now())
        reminders.append(reminder)
    Reminder.objects.exclude(pk__in=[r.pk for r in reminders]).update(
        send_after=timezone.now() + timedelta(days=365)
    )
    return reminders


def assert_each_sent_once(due, mail_dir):
    sent = recipients(mail_dir)
    assert sorted(sent) == sorted(f"patient{n}@example.org" for n in range(PATIENTS))
    statuses = set(
        Reminder.objects.filter(pk__in=[r.pk for r in due]).values_list("status", "attempts")
    )
    assert statuses == {(Reminder.Status.SENT, 1)}


def test_it_sends_each_reminder_once_across_a_worker_restart(due, tmp_path):
    finish(start_worker(tmp_path, "--max-tasks", "5"))
    assert 0 < len(recipients(tmp_path)) < PATIENTS  # stopped part-way
    finish(start_worker(tmp_path, "--batch"))
    assert_each_sent_once(due, tmp_path)


def test_it_sends_each_reminder_once_with_two_workers_at_once(due, tmp_path):
    finish(start_worker(tmp_path, "--batch"), start_worker(tmp_path, "--batch"))
    assert_each_sent_once(due, tmp_path)


def test_it_stops_cleanly_on_sigterm(tmp_path, cast):
    worker = start_worker(tmp_path, "--interval", "0.2", "--verbosity", "1")
    try:
        out = worker.stdout.readline().decode()
        assert "taut worker" in out and "started" in out
        worker.terminate()
        worker.wait(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == 0
