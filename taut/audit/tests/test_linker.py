"""Events are written unchained and linked later (decision 0016).

Writers never wait on each other or on the linker; the linker chains every committed event
exactly once, oldest id first, and never skips one that committed late with a lower id.
Before an event is linked its seal covers it against edits and forgeries, not against
deletion: that is the window the decision record states.
"""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.audit import chain
from taut.audit.models import Action, AuditEvent, ChainHead
from taut.audit.services import link_events, record_event, verify_chain
from taut.audit.tests.test_chain import sql, unlock


def record(number: int) -> AuditEvent:
    return record_event(
        actor=Actor.anonymous(f"user{number}", now=timezone.now(), address=""),
        action=Action.VIEW,
        object_type="patient",
        object_id=str(number),
        details={"n": number},
    )


def links() -> list[tuple[int, int, str, str]]:
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    return list(rows.values_list("id", "seq", "prev_hash", "hash"))


def test_it_writes_an_event_with_one_insert_and_no_link(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        event = record(1)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.prev_hash, stored.hash) == (None, "", "")
    assert stored.seal == chain.seal(chain.row_values(stored))
    assert not ChainHead.objects.exists()


def test_it_links_events_in_id_order_into_one_chain(db):
    ids = [record(number).pk for number in range(5)]
    assert link_events() == 5
    rows = links()
    assert [row[0] for row in rows] == ids
    assert [row[1] for row in rows] == [1, 2, 3, 4, 5]
    assert [row[2] for row in rows] == [chain.GENESIS] + [row[3] for row in rows[:-1]]
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (5, rows[-1][3])
    assert (verify_chain().ok, verify_chain().checked) == (True, 5)


def test_linking_again_changes_nothing(db, django_assert_num_queries):
    for number in range(3):
        record(number)
    link_events()
    before, head = links(), ChainHead.objects.get()
    with django_assert_num_queries(1):  # is anything waiting? no: no lock taken
        assert link_events() == 0
    assert links() == before
    assert ChainHead.objects.get().mac == head.mac


def test_it_links_in_batches(db):
    for number in range(7):
        record(number)
    assert link_events(batch_size=3) == 7
    assert [row[1] for row in links()] == list(range(1, 8))
    assert verify_chain().checked == 7


def test_it_appends_later_events_without_touching_the_linked_ones(db):
    record(1), record(2)
    link_events()
    first = links()
    record(3), record(4)
    assert link_events() == 2
    assert links()[:2] == first
    assert [row[1] for row in links()] == [1, 2, 3, 4]
    assert verify_chain().ok


def test_it_links_an_event_that_committed_late_with_a_lower_id(db):
    """A transaction that took its id before others but committed after them is linked by the
    next run, after them: the linker reads events not linked yet, not ids above a mark."""
    events = [record(number) for number in range(3)]
    link_events()
    late = AuditEvent(
        id=min(event.pk for event in events) - 1,
        at=timezone.now(),
        action=Action.VIEW,
        object_type="patient",
        object_id="late",
    )
    late.seal = chain.seal(chain.row_values(late))
    late.save(force_insert=True)
    assert link_events() == 1
    assert AuditEvent.objects.get(pk=late.pk).seq == 4
    assert (verify_chain().ok, verify_chain().checked) == (True, 4)


def test_it_verifies_linked_events_and_the_seals_of_waiting_ones(db):
    record(1), record(2)
    link_events()
    record(3), record(4), record(5)
    verdict = verify_chain()
    assert (verdict.ok, verdict.checked, verdict.unlinked) == (True, 2, 3)


def test_it_accepts_events_linked_after_it_read_the_head(db):
    """audit-verify reads the head, then the events: a linker running in between (every 2 s
    in production) adds valid links past the head, which is no tampering."""
    record(1), record(2)
    link_events()
    head = ChainHead.objects.get()
    record(3), record(4)
    link_events()
    verdict = chain.verify(AuditEvent.objects.exclude(seq=None).order_by("seq"), head)
    assert (verdict.ok, verdict.checked) == (True, 4)
    unlock()
    sql("DELETE FROM audit_auditevent WHERE seq >= 2")
    verdict = chain.verify(AuditEvent.objects.exclude(seq=None).order_by("seq"), head)
    assert verdict.first_bad_seq == 2


def test_it_reports_an_event_changed_before_it_was_linked(db):
    """Inside the window the seal protects an event's fields; linking does not launder it."""
    events = [record(number) for number in range(3)]
    unlock()
    sql("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE id = %s", [events[1].pk])
    verdict = verify_chain()
    assert (verdict.ok, verdict.bad_public_id) == (False, str(events[1].public_id))
    link_events()
    verdict = verify_chain()
    assert (verdict.ok, verdict.first_bad_seq) == (False, 2)
    assert "before linking" in verdict.problem


def test_it_reports_an_event_forged_without_the_key(db):
    record(1)
    forged = AuditEvent(at=timezone.now(), action=Action.LOGIN, actor_username="mallory")
    forged.seal = "f" * 64
    forged.save(force_insert=True)  # inserting needs no unlocking: the database allows it
    assert verify_chain().bad_public_id == str(forged.public_id)
    link_events()
    assert verify_chain().first_bad_seq == 2


def test_it_reports_a_linked_event_edited_or_deleted_while_others_wait(db):
    events = [record(number) for number in range(4)]
    link_events()
    record(5)
    unlock()
    with transaction.atomic():
        sql("UPDATE audit_auditevent SET object_id = 'x' WHERE id = %s", [events[2].pk])
        assert verify_chain().first_bad_seq == 3
        transaction.set_rollback(True)
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert (verify_chain().ok, verify_chain().first_bad_seq) == (False, 2)


def test_it_cannot_see_an_event_deleted_before_it_was_linked(db):
    """The window's limit, stated as a test: whoever can bypass the triggers and deletes a row
    the linker has not reached yet leaves no trace in the chain (ids have gaps anyway)."""
    events = [record(number) for number in range(3)]
    unlock()
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert verify_chain().ok
    link_events()
    assert (verify_chain().ok, verify_chain().checked) == (True, 2)


def refused(pk: int, **changes) -> bool:
    try:
        with transaction.atomic():
            AuditEvent.objects.filter(pk=pk).update(**changes)
    except DatabaseError:
        return True
    return False


def test_the_database_allows_one_update_only_the_link(db):
    pk = record(1).pk
    link = {"seq": 1, "prev_hash": chain.GENESIS, "hash": "b" * 64}
    assert refused(pk, actor_username="mallory")
    assert refused(pk, seq=1)  # half a link
    assert refused(pk, **link, object_id="x")  # a link that changes anything else
    assert refused(pk, **link, seal="c" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=pk).delete()
    assert not refused(pk, **link)
    assert refused(pk, hash="d" * 64)  # linked: never again
    assert refused(pk, seq=None, prev_hash="", hash="")
    assert refused(pk, seq=2, prev_hash="e" * 64, hash="f" * 64)
    stored = AuditEvent.objects.get(pk=pk)
    assert (stored.seq, stored.hash, stored.actor_username) == (1, "b" * 64, "user1")


def test_audit_verify_links_first(db, capsys):
    record(1), record(2)
    call_command("audit_verify")
    assert "2 events verified (2 linked just now)" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seq=None).exists()


def test_audit_verify_without_linking_reports_the_waiting_events(db, capsys):
    record(1), record(2)
    call_command("audit_verify", "--no-link")
    assert "0 events verified (0 linked just now); 2 not linked yet" in capsys.readouterr().out
    assert AuditEvent.objects.filter(seq=None).count() == 2


def test_audit_verify_names_a_waiting_event_that_was_changed(db):
    event = record(1)
    unlock()
    sql("UPDATE audit_auditevent SET client_ip = '6.6.6.6' WHERE id = %s", [event.pk])
    with pytest.raises(CommandError, match=f"unlinked event {event.public_id}"):
        call_command("audit_verify", "--no-link")


def test_audit_link_links_the_waiting_events(db, capsys):
    record(1), record(2)
    call_command("audit_link")
    assert "Linked 2 audit events." in capsys.readouterr().out
    assert [row[1] for row in links()] == [1, 2]


@pytest.mark.usefixtures("committed_db")
def test_the_worker_links_the_waiting_events():
    """The worker closes its connection between tasks, so this test's writes commit."""
    record(1), record(2)
    call_command("worker", "--batch", verbosity=0)
    assert [row[1] for row in links()] == [1, 2]
    assert verify_chain().ok


def test_writers_do_not_wait_on_each_other_or_on_the_linker(db):
    """Two connections: this one has written an event and holds the chain head's lock (as a
    linker in the middle of a batch does) without committing; another connection's event
    is written at once, where the old design waited for the head row."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has one writer at a time: every write transaction begins IMMEDIATE, "
            "so there is no concurrency between writers to measure"
        )
    record(1)
    ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": chain.GENESIS, "mac": ""})
    ChainHead.objects.select_for_update().get(pk=1)
    outcome: list[object] = []

    def other_request():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                started = time.monotonic()
                record(2)
                outcome.append(time.monotonic() - started)
                transaction.set_rollback(True)  # the table refuses deletes: leave nothing
        except DatabaseError as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join(timeout=10)
    assert len(outcome) == 1 and isinstance(outcome[0], float), outcome
    assert outcome[0] < 1.0
