"""The audit trail is append-only and any tampering is reported by `taut audit-verify`.

These tests are about linked events (``fill`` links what it records); events in the window
before linking are in test_linker.py."""

import random

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.audit.models import Action, AuditEvent, ChainHead
from taut.audit.services import link_events, record_event, verify_chain


def fill(count=8):
    for number in range(count):
        record_event(
            actor=Actor.anonymous(f"user{number}", now=timezone.now(), address=""),
            action=Action.VIEW,
            object_type="patient",
            object_id=str(number),
            details={"n": number},
        )
    link_events()


def unlock():
    """Drop the append-only triggers for this test's transaction only (rolled back after)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_change ON audit_auditevent")


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def chain(db):
    fill()
    assert verify_chain().ok
    unlock()


def test_it_verifies_an_untouched_log(db):
    fill(20)
    verdict = verify_chain()
    assert (verdict.ok, verdict.checked) == (True, 20)


def test_it_verifies_an_empty_log(db):
    assert verify_chain().ok


def test_it_refuses_updates_in_the_database(db):
    fill(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(actor_username="someone else")
    assert AuditEvent.objects.get(seq=1).actor_username == "user0"


def test_it_refuses_deletes_in_the_database(db):
    fill(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    assert AuditEvent.objects.count() == 2


def test_it_reports_a_changed_field(chain):
    sql("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE seq = 4")
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 4)
    assert "changed" in verdict.problem


def test_it_reports_changed_details(chain):
    event = AuditEvent.objects.get(seq=6)
    sql("UPDATE audit_auditevent SET details = %s WHERE seq = 6", ['{"n": 99}'])
    assert event.details == {"n": 5}
    assert verify_chain().first_bad_seq == 6


def test_it_reports_a_deleted_row(chain):
    sql("DELETE FROM audit_auditevent WHERE seq = 3")
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 3)
    assert "missing" in verdict.problem


def test_it_reports_a_deleted_tail(chain):
    sql("DELETE FROM audit_auditevent WHERE seq >= 7")
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 7)


def test_it_reports_reordered_rows(chain):
    sql("UPDATE audit_auditevent SET seq = -1 WHERE seq = 2")
    sql("UPDATE audit_auditevent SET seq = 2 WHERE seq = 5")
    sql("UPDATE audit_auditevent SET seq = 5 WHERE seq = -1")
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 2)


def test_it_reports_a_forged_row_with_a_recomputed_plain_hash(chain):
    """Without the key, a forger cannot make a link that verifies."""
    last = AuditEvent.objects.get(seq=8)
    sql(
        "INSERT INTO audit_auditevent (seq, public_id, at, action, actor_username, actor_role, "
        "object_type, object_id, client_ip, details, seal, prev_hash, hash) "
        "VALUES (9, %s, %s, 'view', 'mallory', '', '', '', '', '{}', %s, %s, %s)",
        ["00000000-0000-0000-0000-000000000009", last.at, "f" * 64, last.hash, "f" * 64],
    )
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 9)


def test_it_reports_a_changed_chain_head(chain):
    ChainHead.objects.filter(pk=1).update(seq=5)
    assert not verify_chain().ok


def test_it_detects_every_one_of_many_random_tamperings(chain):
    rng = random.Random(7)
    kinds = ["edit", "delete", "swap", "tail"]
    for trial in range(60):
        kind = kinds[trial % len(kinds)]
        seq = rng.randint(1, 8)
        with transaction.atomic():
            if kind == "edit":
                sql("UPDATE audit_auditevent SET object_id = %s WHERE seq = %s", [f"x{trial}", seq])
            elif kind == "delete":
                sql("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
            elif kind == "swap":
                other = seq % 8 + 1
                sql("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [seq])
                sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [seq, other])
                sql("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [other])
            else:
                sql("DELETE FROM audit_auditevent WHERE seq >= %s", [seq])
            assert not verify_chain().ok, f"undetected {kind} at #{seq}"
            transaction.set_rollback(True)
        assert verify_chain().ok


def test_the_command_reports_the_first_broken_link(chain):
    sql("UPDATE audit_auditevent SET client_ip = '6.6.6.6' WHERE seq = 5")
    with pytest.raises(CommandError, match=r"broken at event #5"):
        call_command("audit_verify")


def test_the_command_confirms_an_intact_log(db, capsys):
    fill(3)
    call_command("audit_verify")
    assert "3 events verified" in capsys.readouterr().out


def test_it_does_not_verify_with_a_different_key(db, settings):
    fill(3)
    settings.AUDIT_HMAC_KEY = "another key"
    assert verify_chain().first_bad_seq == 1
