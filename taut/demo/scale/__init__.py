"""A clinic network of realistic size, made quickly: ``taut seed-scale``.

Seeding through the services tells a coherent story but writes one patient at a time
(about 400 queries each). At 50,000 patients that takes hours, so the network is built in
two steps (docs/decisions/0020-scale-seeder.md):

1. The demo clinic is seeded through the services as ``taut demo`` seeds it, with a few
   dozen patients: the *template*, coherent because the app wrote it.
2. Each further patient is a *replica* of one template patient, in one of several other
   clinics with their own staff: every row of the template patient's history (chart,
   drawings, visits with intake, exam, consent, procedure and sites, signed notes and
   addenda, check-ins, alerts, readings, decisions, reminders) is copied with
   ``bulk_create`` in batches, with a new name, MRN, date of birth, contact details and new
   public ids, foreign keys pointing at the replica's rows and the replica clinic's staff,
   and the derived fields made again (search columns, the note's text and its SHA-256,
   reminder keys, the check-in's goal ids). One transaction per batch of patients.

The replicas keep the template's timeline (their sessions are on the same days), so
what was true of the template on the day it was seeded is true of each replica: doses
within the limits, check-ins answered on their days, a next step due when it is due. Dates
of birth move by whole years and days only where the patient's age bands (adult, over 70)
stay the same on every day of their history. The stored next-step due days are computed
afterwards by ``outcomes.services.refresh_next_steps_for_clinic``; each replica's
registration is one audit event, written by ``audit.services.record_event``.
"""

import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Role
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.demo.scale.copying import Copier, Template
from taut.demo.scale.identity import Identity, Names, identity_for, replica_mrn
from taut.demo.seed import CLINIC_SLUG, DEMO_PASSWORD, FAMILY_NAMES, seed_demo
from taut.patients.models import Patient

TEMPLATE_PATIENTS = 200  # the demo books a fixed few dozen visits today and this week
PATIENTS_PER_CLINIC = 5000  # the default number of clinics follows from it
BATCH = 250  # replica patients per transaction
# Each replica clinic has this many copies of each template clinician, and each replica's
# visits are its team's: the template's day (a few dozen visits for its one main clinician)
# times 125 copies of each patient would otherwise be one clinician's 500-visit day.
TEAMS = 10
SEED_ACTOR = "taut seed-scale"
SLUG_PREFIX = "scale-"  # the replica clinics: scale-01, scale-02…

# Invented places for the replica clinics' names.
PLACES = ["Northgate", "Lakeside", "Hillcrest", "Meadowbank", "Stonebridge", "Willowmere",
          "Oakhollow", "Brackenfield", "Fernhill", "Elmstead", "Harrowdale", "Kestrelford"]  # fmt: skip


@dataclass(frozen=True)
class ScaleSeeded:
    clinics: list[Clinic]
    created_patients: int
    total_patients: int


def seed_scale(
    *,
    seed: int = 2026,
    patients_wanted: int,
    now: datetime,
    template: int = TEMPLATE_PATIENTS,
    clinics: int | None = None,
    teams: int = TEAMS,
    say: Callable[[str], None] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ScaleSeeded:
    """A network of ``patients_wanted`` patients as it stands at ``now``: the demo clinic
    with ``template`` patients seeded through the services, and the rest replicated from
    them into ``clinics`` other clinics (by default one per 5,000). Deterministic for a
    seed; re-running adds only what is missing."""
    template = min(template, patients_wanted)
    if say:
        say(f"Seeding the template: the demo clinic with {template} patients…")
    seed_demo(seed=seed, patients_wanted=template, now=now)
    demo = Clinic.objects.get(slug=CLINIC_SLUG)
    replicas = patients_wanted - template
    if clinics is None:
        clinics = max(2, math.ceil(replicas / PATIENTS_PER_CLINIC))
    made = replicate(
        template=demo,
        seed=seed,
        replicas=replicas,
        clinics=clinics if replicas else 0,
        teams=teams,
        now=now,
        say=say,
        progress=progress,
    )
    network = [demo, *made.clinics]
    if made.created_patients:
        # Bulk inserts leave the planners' statistics behind (PostgreSQL's autovacuum gets
        # there minutes later): without them the worklist's plans read whole tables (2.3 s
        # instead of 0.1 s at 50,000 patients, benchmarks/scale.py). On PostgreSQL, outside
        # a transaction, VACUUM too: it marks the new pages all-visible, so index-only scans
        # answer from the index instead of reading the table (VACUUM can't run in a
        # transaction, e.g. a test's).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    total = Patient.objects.filter(clinic__in=network).count()
    return ScaleSeeded(
        clinics=network, created_patients=made.created_patients, total_patients=total
    )


def replicate(
    *,
    template: Clinic,
    seed: int,
    replicas: int,
    clinics: int,
    now: datetime,
    teams: int = TEAMS,
    say: Callable[[str], None] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ScaleSeeded:
    """``replicas`` patients copied from ``template``'s, spread over ``clinics`` clinics
    (replica ``n`` goes to clinic ``(n - 1) % clinics`` and copies template patient
    ``(n - 1) // clinics``, modulo their number) and, in its clinic, over ``teams`` copies
    of the template's clinicians (``team_of``). Replicas already there are kept."""
    source = Template.load(template, now=now)
    if not source.patients or not clinics:
        return ScaleSeeded(clinics=[], created_patients=0, total_patients=0)
    network = [_clinic(template, seed, index, now=now) for index in range(clinics)]
    staff = {
        (clinic.pk, team): mapping
        for clinic in network
        for team, mapping in enumerate(_staff(clinic, source.users, teams=teams, now=now))
    }
    # By MRN in any replica clinic: a top-up with more clinics keeps the replicas made.
    made = Patient.objects.filter(clinic__slug__startswith=SLUG_PREFIX)
    existing = set(made.values_list("mrn", flat=True))
    names = Names(seed)
    wanted = [n for n in range(1, replicas + 1) if replica_mrn(n) not in existing]
    batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    if say:
        say(f"Replicating {len(wanted)} patients into {clinics} clinics…")
    for batch in progress(batches) if progress else batches:
        with transaction.atomic():
            copier = Copier(source=source, staff=staff, now=now)
            for number in batch:
                clinic = network[(number - 1) % clinics]
                original = source.patients[((number - 1) // clinics) % len(source.patients)]
                rng = random.Random(f"taut-scale:{seed}:{number}")
                who = identity_for(rng, names, original, number, now)
                team = team_of(number, clinics=clinics, template=len(source.patients), teams=teams)
                copier.add(original, who, clinic, team=team)
            copier.write()
            _audit(copier.replicas, now)
    total = Patient.objects.filter(clinic__in=network).count()
    return ScaleSeeded(clinics=network, created_patients=len(wanted), total_patients=total)


def team_of(number: int, *, clinics: int, template: int, teams: int) -> int:
    """The team (copy of the template's clinicians) whose visits replica ``number`` has:
    each round of the template's patients in a clinic goes to the next team, so every team
    has every kind of story and the clinic's day is shared among its clinicians."""
    return ((number - 1) // clinics // template) % teams


# The network's clinics and their staff.


def _clinic(template: Clinic, seed: int, index: int, *, now: datetime) -> Clinic:
    slug = f"{SLUG_PREFIX}{index + 1:02d}"
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is not None:
        return clinic
    place = PLACES[index % len(PLACES)] + (f" {index // len(PLACES) + 1}" if index >= 12 else "")
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Clinic._meta.concrete_fields
        if not f.primary_key
        and f.name not in ("public_id", "name", "slug", "address", "phone", "email", "created_at")
    }
    rng = random.Random(f"taut-scale-clinic:{seed}:{slug}")
    return Clinic.objects.create(
        **copied,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        name=f"{place} Muscle Pain Clinic (synthetic)",
        slug=slug,
        address=f"{index + 1} {place} Road, Springfield",
        phone=f"(555) 010-{index + 200:04d}"[:14],
        email=f"{slug}@example.org",
        created_at=now,
    )


def _staff(
    clinic: Clinic, template_users: dict[int, User], *, teams: int, now: datetime
) -> list[dict[int, int]]:
    """The clinic's staff: one for each of the template clinic's members
    (``scale-01-clinician``…) and, for its clinicians, ``teams - 1`` more
    (``scale-01-clinician-2``…), with the demo's published password. For each team,
    template user id → this clinic's user id (nurses, front desk and lead are shared)."""
    existing = {u.username: u for u in User.objects.filter(clinic=clinic)}
    password = None
    # From the clinic's public id (itself from the seed), not its key: the same names on
    # every database for a seed; no two members of a clinic with one name.
    surnames = random.Random(f"taut-scale-staff:{clinic.public_id}").sample(
        FAMILY_NAMES, k=min(len(FAMILY_NAMES), len(template_users) * teams)
    )
    mappings: list[dict[int, int]] = [{} for _ in range(teams)]
    for team in range(teams):
        for place, user in enumerate(template_users.values()):
            if team and user.role != Role.CLINICIAN:
                mappings[team][user.pk] = mappings[0][user.pk]
                continue
            username = f"{clinic.slug}-{user.username}" + (f"-{team + 1}" if team else "")
            member = existing.get(username)
            if member is None:
                password = password or make_password(DEMO_PASSWORD)
                rng = random.Random(f"taut-scale-staff:{clinic.public_id}:{username}")
                member = User.objects.create(
                    username=username,
                    first_name=user.first_name,
                    last_name=surnames[(team * len(template_users) + place) % len(surnames)],
                    email=f"{username}@example.org",
                    role=user.role,
                    clinic=clinic,
                    password=password,
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    date_joined=now,
                )
                existing[username] = member
            mappings[team][user.pk] = member.pk
    return mappings


def _audit(replicas: list[tuple[Patient, "Identity", Clinic]], now: datetime) -> None:
    """One audit event per clinic and batch, written by ``record_event``: the seeder created
    that many patients there. (One per patient would cost a chained write each.)"""
    counts = Counter(clinic for _, _, clinic in replicas)
    for clinic, count in sorted(counts.items(), key=lambda item: item[0].pk):
        record_event(
            actor=Actor.system(SEED_ACTOR, now=now, clinic=clinic),
            action=Action.CREATE,
            object_type="patients",
            clinic_id=clinic.pk,
            details={"patients": count},
        )
