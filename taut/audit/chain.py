"""The hash chain: how an event's seal and hash are computed and how the chain is checked.

An event gets its ``seal`` when it is written (an HMAC of its own fields) and its ``seq``,
``prev_hash`` and ``hash`` (an HMAC of the previous hash and its fields) when the linker
chains it. Both use ``AUDIT_HMAC_KEY``, kept outside the database, so nobody who can only
write to the database can forge either.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from taut.audit.anchors import Anchor

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "public_id",
    "at",
    "clinic_id",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "client_ip",
    "details",
)
SEALED_FIELDS = CHAINED_FIELDS[1:]  # all but seq, which the linker gives later


def _mac(message: bytes) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def canonical(values: dict, fields: tuple[str, ...] = CHAINED_FIELDS) -> bytes:
    """The bytes an event's hash covers: its fields as sorted, compact JSON."""
    picked = {name: values[name] for name in fields}
    return json.dumps(picked, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(prev_hash: str, values: dict) -> str:
    return _mac(prev_hash.encode() + b"|" + canonical(values))


def seal(values: dict) -> str:
    """The MAC an event carries from the moment it is written, before it has a ``seq``."""
    return _mac(b"seal|" + canonical(values, SEALED_FIELDS))


def head_mac(seq: int, hash_: str) -> str:
    return _mac(f"head|{seq}|{hash_}".encode())


def row_values(event) -> dict:
    """The chained fields of a stored event, normalised as when it was hashed."""
    values = {name: getattr(event, name) for name in CHAINED_FIELDS}
    values["public_id"] = str(event.public_id)
    values["patient_id"] = str(event.patient_id) if event.patient_id else None
    values["at"] = event.at.isoformat()
    return values


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int  # linked events whose link and seal were checked
    first_bad_seq: int | None = None
    problem: str = ""
    unlinked: int = 0  # events not linked yet whose seal was checked
    bad_public_id: str = ""  # the broken event's public id, when it has no seq yet
    anchored: int = 0  # the highest sequence number an anchor outside the database records


def verify(events, head, unlinked=(), anchors: Iterable[Anchor] = ()) -> Verdict:
    """Walk ``events`` (the linked ones, in ``seq`` order) and report the first broken link,
    then check the seal of each event in ``unlinked``.

    Read ``head`` before ``events`` and ``events`` before ``unlinked``, each in its own
    query: nothing then needs a snapshot of the whole table (a long one would hold back the
    writers on SQLite). Events linked after the head was read continue the chain past it and
    are checked like the others; an event linked after ``events`` was read and before
    ``unlinked`` is checked by the next run.

    ``anchors`` (``taut.audit.anchors.Anchor``: ``seq``, ``hash``, ``at``) are heads copied
    outside the database (decision 0028), read before ``head``: each anchored event must be
    in the chain with the anchored hash, so a chain cut back to an older head (a restored
    backup) or emptied is reported, and so is one rewritten past an anchor.

    Catches: a changed field (hash or seal mismatch, even if it was changed before the event
    was linked), a deleted or inserted row (a gap in ``seq`` or a ``prev_hash`` that doesn't
    match), reordering, a deleted tail (the chain head no longer matches the last event), and
    an unlinked row edited or forged in the database. It cannot catch an unlinked row deleted
    before the linker reached it (decision 0016).
    """
    anchored = list(anchors)
    verdict = _verify_linked(events, head, anchored)
    if not verdict.ok:
        return verdict
    waiting = 0
    for event in unlinked:
        if not _sealed(event):
            return Verdict(
                False,
                verdict.checked,
                None,
                "an event not linked yet was changed or forged (its seal does not match)",
                waiting,
                str(event.public_id),
            )
        waiting += 1
    return Verdict(True, verdict.checked, unlinked=waiting, anchored=verdict.anchored)


def _sealed(event) -> bool:
    return hmac.compare_digest(event.seal, seal(row_values(event)))


def _verify_linked(events, head, anchored: list[Anchor]) -> Verdict:
    by_seq: dict[int, list[Anchor]] = {}
    for anchor in anchored:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    prev = GENESIS
    expected_seq = 1
    checked = 0
    at_head = GENESIS  # the hash of the event the head names (#0: the genesis)
    for event in events:
        if event.seq != expected_seq:
            return Verdict(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (found #{event.seq} next)",
            )
        if event.prev_hash != prev:
            return Verdict(False, checked, event.seq, "does not link to the event before it")
        if not hmac.compare_digest(event.hash, event_hash(prev, row_values(event))):
            return Verdict(False, checked, event.seq, "its contents were changed")
        if not _sealed(event):
            return Verdict(False, checked, event.seq, "its contents were changed before linking")
        for anchor in by_seq.get(event.seq, ()):
            if not hmac.compare_digest(event.hash, anchor.hash):
                return Verdict(
                    False,
                    checked,
                    event.seq,
                    f"it is not the event anchored at {_when(anchor)}: the log was rewritten "
                    "from here on after that anchor was written",
                )
        prev = event.hash
        if head is not None and event.seq == head.seq:
            at_head = prev
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    top = max(anchored, key=lambda anchor: anchor.seq, default=None)
    if top is not None and last_seq < top.seq:
        return Verdict(
            False,
            checked,
            last_seq + 1,
            f"the log ends at #{last_seq} but the anchor written outside the database at "
            f"{_when(top)} records #{top.seq}: newer events were removed (an older chain head "
            "restored, or the log emptied)",
        )
    reached = top.seq if top is not None else 0
    if head is None:
        if checked:
            return Verdict(False, checked, last_seq, "the chain head is missing")
        return Verdict(True, 0, anchored=reached)
    if not hmac.compare_digest(head.mac, head_mac(head.seq, head.hash)):
        return Verdict(False, checked, head.seq, "the chain head was changed")
    if last_seq < head.seq:
        return Verdict(
            False,
            checked,
            last_seq + 1,
            f"the log ends at #{last_seq} but the chain head records #{head.seq}",
        )
    if not hmac.compare_digest(at_head, head.hash):
        return Verdict(False, checked, head.seq, "it is not the event the chain head records")
    return Verdict(True, checked, anchored=reached)


def _when(anchor: Anchor) -> str:
    return anchor.at.isoformat(timespec="seconds")
