"""The chain head anchored outside the database (decision 0028): a log rolled back to an
older head, emptied, or rewritten past an anchor is reported, an intact one is not, and the
worker writes an anchor at most once a minute."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from taut.audit import anchors, chain
from taut.audit.models import AuditEvent, ChainHead
from taut.audit.services import anchor_head, link_events, verify_chain
from taut.audit.tests.test_chain import fill, sql, unlock
from taut.audit.tests.test_linker import record
from taut.reminders.management.commands import worker

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "audit-anchors.log")


@pytest.fixture
def anchored(db, path):
    """Eight events linked and their head anchored; the append-only triggers then dropped
    for this test, as by an attacker with the database's owner account."""
    fill(8)
    assert anchor_head(path=path, now=T0) is not None
    unlock()
    return path


def restore_head(seq: int) -> None:
    """Put back the head a backup taken at ``seq`` would hold (its MAC valid: the backup
    was made by Taut)."""
    hash_ = AuditEvent.objects.get(seq=seq).hash
    ChainHead.objects.filter(pk=1).update(seq=seq, hash=hash_, mac=chain.head_mac(seq, hash_))


def test_it_reports_newest_events_deleted_and_an_older_head_restored(anchored):
    sql("DELETE FROM audit_auditevent WHERE seq > 5")
    restore_head(5)
    assert verify_chain().ok, "without the anchors the rolled-back log reads as intact"
    verdict = verify_chain(anchored=anchors.read(anchored))
    assert (verdict.ok, verdict.first_bad_seq) == (False, 6)
    assert "ends at #5" in verdict.problem and "records #8" in verdict.problem


def test_it_reports_a_rolled_back_log_that_grew_again_past_the_anchor(anchored):
    """After the rollback the application goes on writing: the chain passes #8 again, but
    #8 is not the event anchored."""
    sql("DELETE FROM audit_auditevent WHERE seq > 5")
    restore_head(5)
    for number in range(4):
        record(100 + number)
    link_events()
    verdict = verify_chain(anchored=anchors.read(anchored))
    assert (verdict.ok, verdict.first_bad_seq) == (False, 8)
    assert "not the event anchored" in verdict.problem


def test_it_reports_an_emptied_log_and_head(anchored):
    sql("DELETE FROM audit_auditevent")
    ChainHead.objects.all().delete()
    assert verify_chain().ok, "without the anchors an empty log reads as intact"
    verdict = verify_chain(anchored=anchors.read(anchored))
    assert (verdict.ok, verdict.first_bad_seq) == (False, 1)
    assert "ends at #0" in verdict.problem


def test_it_passes_an_intact_log_that_grew_after_its_anchors(db, path):
    fill(3)
    anchor_head(path=path, now=T0)
    fill(2)
    anchor_head(path=path, now=T0 + timedelta(minutes=1))
    fill(2)
    verdict = verify_chain(anchored=anchors.read(path))
    assert (verdict.ok, verdict.checked, verdict.anchored) == (True, 7, 5)


def test_it_anchors_at_most_once_a_minute_and_only_a_moved_head(db, path):
    fill(2)
    written = [
        anchor_head(path=path, now=T0),  # the first anchor
        anchor_head(path=path, now=T0 + timedelta(seconds=59)),  # too soon
    ]
    fill(1)
    written += [
        anchor_head(path=path, now=T0 + timedelta(seconds=59)),  # still too soon
        anchor_head(path=path, now=T0 + timedelta(seconds=60)),  # a minute on: the new head
        anchor_head(path=path, now=T0 + timedelta(minutes=5)),  # the head has not moved
    ]
    assert [anchor.seq if anchor else None for anchor in written] == [2, None, None, 3, None]
    lines = Path(path).read_text().splitlines()
    head = ChainHead.objects.get()
    assert lines[-1] == f"taut-audit-anchor seq=3 hash={head.hash} at=2026-12-06T09:01:00+00:00"
    assert len(lines) == 2


def test_it_anchors_nothing_before_the_first_event_is_linked(db, path):
    assert anchor_head(path=path, now=T0) is None
    assert anchors.last(path) is None


@pytest.mark.parametrize(
    ("text", "seqs"),
    [
        ("", []),
        ("Dec  6 09:00:00 host taut: taut-audit-anchor seq=4 hash=" + "a" * 64
         + " at=2026-12-06T09:00:00+00:00\nother news\n", [4]),
        (f"taut-audit-anchor seq=1 hash={'b' * 64} at=2026-12-06T09:00:00+00:00\n"
         f"taut-audit-anchor seq=2 hash={'c' * 64} at=2026-12-06T09:01:00+00:00\n", [1, 2]),
    ],
)  # fmt: skip
def test_it_reads_anchors_also_from_a_shipped_syslog_copy(text, seqs):
    assert [anchor.seq for anchor in anchors.parse(text.splitlines())] == seqs


@pytest.mark.parametrize(
    "line",
    [
        "taut-audit-anchor seq=x hash=abc at=2026-12-06T09:00:00+00:00",
        f"taut-audit-anchor seq=1 hash={'a' * 64} at=yesterday",
        f"taut-audit-anchor seq=1 hash={'a' * 64} at=2026-12-06T09:00:00",  # no time zone
    ],
)
def test_it_refuses_a_marked_line_that_is_not_an_anchor(line):
    with pytest.raises(anchors.AnchorFileError, match="line 2 of the anchor file"):
        anchors.parse(["", line])


def test_the_command_fails_on_a_rolled_back_log_and_passes_an_intact_one(
    db, path, settings, capsys
):
    settings.AUDIT_ANCHOR_PATH = path
    fill(4)
    anchor_head(path=path, now=T0)
    call_command("audit_verify")
    assert "agrees with every anchor in" in capsys.readouterr().out
    unlock()
    sql("DELETE FROM audit_auditevent WHERE seq > 2")
    restore_head(2)
    with pytest.raises(CommandError, match=r"broken at event #3: the log ends at #2"):
        call_command("audit_verify")
    settings.AUDIT_ANCHOR_PATH = ""  # --anchors names the shipped copy
    with pytest.raises(CommandError, match=r"records #4"):
        call_command("audit_verify", "--anchors", path)


def test_the_command_reports_a_missing_anchor_file_clearly(db, tmp_path, settings):
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "gone.log")
    fill(1)
    with pytest.raises(CommandError, match=r"not verified: the anchor file .*gone\.log cannot"):
        call_command("audit_verify")


def test_the_command_says_when_no_anchor_file_is_set(db, settings, capsys):
    settings.AUDIT_ANCHOR_PATH = ""
    fill(1)
    call_command("audit_verify")
    assert "No anchor file (AUDIT_ANCHOR_PATH is not set)" in capsys.readouterr().out


def test_the_worker_anchors_the_head_after_linking(db, path, settings, monkeypatch):
    """Its loop, without running tasks (their worker closes this test's connection: the
    reminder tests run it whole, on a committed database)."""
    monkeypatch.setattr(worker.Worker, "run", lambda self: None)
    settings.AUDIT_ANCHOR_PATH = path
    record(1), record(2)  # written, not linked: the worker links them, then anchors
    call_command("worker", "--batch", "--queue", "printing", verbosity=0)
    (anchor,) = anchors.read(path)
    assert (anchor.seq, anchor.hash) == (2, ChainHead.objects.get().hash)
