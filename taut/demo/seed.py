"""The demo clinic: one clinic, one user per role, and synthetic patients.

Everything is made up and deterministic for a given seed. Family names are
invented compounds (Thistlewick, Pebblebrook…) so nobody mistakes them for real
people; phone numbers come from ranges reserved for fiction; e-mail addresses
use the reserved example domains. Re-running adds only what is missing.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from taut.accounts import services as accounts
from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Role
from taut.demo.checkins import seed_checkins
from taut.demo.decisions import seed_reviews
from taut.demo.lapsed import seed_lapsed_decision
from taut.demo.outbox import book_ahead, settle_reminders
from taut.demo.pain import drawing_history
from taut.demo.schedule import SECOND_CLINICIAN, seed_schedule
from taut.demo.visits import seed_today, seed_visits
from taut.drawings.services import record_drawing
from taut.patients import services as patients
from taut.patients.models import (
    Allergy,
    Condition,
    Measurement,
    Medication,
    Patient,
    PatientRecord,
)

CLINIC_SLUG = "demo"
DEMO_PASSWORD = "taut-demo-clinic"  # printed by `taut demo`; demo data only

STAFF = [
    ("clinician", "Robin", "Example", Role.CLINICIAN),
    ("nurse", "Sam", "Sample", Role.NURSE),
    ("frontdesk", "Alex", "Placeholder", Role.FRONT_DESK),
    ("lead", "Jordan", "Fictional", Role.CLINIC_LEAD),
]

_FIRST = ["Amber", "Birch", "Bramble", "Cinder", "Clover", "Copper", "Dapple", "Elder",
          "Fennel", "Glimmer", "Hazel", "Juniper", "Lark", "Maple", "Moss", "Nettle",
          "Oaken", "Pebble", "Quill", "Rowan", "Sorrel", "Thistle", "Willow", "Wren"]  # fmt: skip
_LAST = ["bury", "field", "wick", "stone", "brook", "worth", "ridge", "dale", "thorpe", "combe"]
FAMILY_NAMES = [first + last for first in _FIRST for last in _LAST]

# (language, Faker locale, share of patients)
LANGUAGES = [
    ("en", "en_US", 66), ("es", "es_MX", 14), ("pt", "pt_BR", 4), ("vi", "vi_VN", 3),
    ("zh", "zh_CN", 3), ("fr", "fr_FR", 2), ("pl", "pl_PL", 2), ("ar", "ar_AA", 2),
    ("ru", "ru_RU", 2), ("tl", "fil_PH", 2),
]  # fmt: skip

# (agent, anaesthetic id or "", reaction, severity, weight)
ALLERGIES = [
    ("Penicillin", "", "Hives", "moderate", 10),
    ("Sulfonamide antibiotics", "", "Rash", "mild", 5),
    ("Latex", "", "Contact dermatitis", "mild", 4),
    ("Ibuprofen", "", "Wheeze", "moderate", 3),
    ("Codeine", "", "Nausea and vomiting", "mild", 4),
    ("Adhesive tape", "", "Skin irritation", "mild", 3),
    ("Shellfish", "", "Lip swelling", "moderate", 2),
    ("Xylocaine (dental block)", "", "Hives after a dental block", "moderate", 1),
    ("Bupivacaine", "bupivacaine", "Palpitations and rash", "unknown", 1),
    ("Procaine", "procaine", "Itching (ester-type anaesthetic)", "mild", 1),
]
# (name, dose, antithrombotic, weight)
MEDICATIONS = [
    ("Ibuprofen", "400 mg as needed", False, 14), ("Naproxen", "500 mg twice daily", False, 8),
    ("Paracetamol (acetaminophen)", "1 g as needed", False, 14),
    ("Cyclobenzaprine", "5 mg at night", False, 6), ("Duloxetine", "60 mg daily", False, 6),
    ("Amitriptyline", "10 mg at night", False, 5), ("Gabapentin", "300 mg three times daily", False, 4),
    ("Metformin", "500 mg twice daily", False, 6), ("Lisinopril", "10 mg daily", False, 6),
    ("Atorvastatin", "20 mg daily", False, 6), ("Levothyroxine", "75 mcg daily", False, 4),
    ("Sertraline", "50 mg daily", False, 4), ("Apixaban", "5 mg twice daily", True, 2),
    ("Warfarin", "dose per INR clinic", True, 1), ("Rivaroxaban", "20 mg daily", True, 1),
    ("Clopidogrel", "75 mg daily", True, 2), ("Aspirin", "81 mg daily", True, 4),
]  # fmt: skip
# (name, ICD-10-CM, weight)
CONDITIONS = [
    ("Myofascial pain syndrome", "M79.18", 30), ("Fibromyalgia", "M79.7", 8),
    ("Tension-type headache", "G44.209", 8), ("Chronic low back pain", "M54.50", 14),
    ("Neck pain (cervicalgia)", "M54.2", 12), ("Type 2 diabetes", "E11.9", 6),
    ("Hypertension", "I10", 10), ("Hypothyroidism", "E03.9", 4),
    ("Depression", "F32.A", 5), ("Generalised anxiety disorder", "F41.1", 4),
    ("Osteoarthritis of the knee", "M17.9", 5), ("Migraine", "G43.909", 4),
]  # fmt: skip


PAIN_CONDITIONS = CONDITIONS[:5]


@dataclass(frozen=True)
class Seeded:
    clinic: Clinic
    created_patients: int
    total_patients: int


def seed_demo(
    *,
    seed: int = 2026,
    patients_wanted: int = 240,
    now: datetime,
    progress=None,
    say=None,
    with_visits: bool = True,
):
    """Create (or complete) the demo clinic as it stands at ``now``: its story is told
    relative to the clinic's day then, whatever the date. ``progress`` wraps an iterable
    (e.g. tqdm); ``say`` reports a step that takes a while; ``with_visits=False`` seeds
    patients only.

    Every record is written through the services by the member of staff who would write it,
    at the moment they would (``Actor.at``): past visits on their day, check-in calls on
    theirs. The audit trail keeps the true time of each write."""
    from faker import Faker  # here: importing it costs every test worker 0.4 s

    rng = random.Random(seed)
    fakers = {}
    for language, locale, _ in LANGUAGES:
        fakers[language] = Faker(locale)
        fakers[language].seed_instance(seed)
    # One transaction per patient and per step, not one for the whole clinic: each
    # commits as it is done (a savepoint inside a caller's transaction), so a long seed
    # holds no transaction open and an interrupted one resumes where it stopped.
    with transaction.atomic():
        clinic = _clinic(now)
        staff = {row[3]: _staff_member(clinic, *row, now=now) for row in STAFF}
        # The second clinician has worked here all along: past sessions are split between
        # the two (each patient stays with one), as are this week's bookings.
        second = _staff_member(clinic, *SECOND_CLINICIAN, now=now)
    today = now.astimezone(clinic.zone()).date()
    existing = set(Patient.objects.filter(clinic=clinic).values_list("mrn", flat=True))
    created = 0
    numbers = range(1, patients_wanted + 1)
    for number in progress(numbers) if progress else numbers:
        person = _with_drawings(rng, _person(rng, fakers, number, today))
        if person["mrn"] in existing:
            continue
        with transaction.atomic():
            _register(clinic, staff, person, rng, now)
        created += 1
    # Past signed sessions for many patients, and today's list in every visit state.
    if with_visits:
        if say:
            say("Documenting past visits and today's schedule…")
        seed_visits(clinic=clinic, staff=staff, second=second, seed=seed, now=now)
        # Their check-ins answered by phone, but for a few overdue ones and some alerts.
        seed_checkins(
            clinic=clinic,
            nurse=staff[Role.NURSE],
            clinician=staff[Role.CLINICIAN],
            seed=seed,
            now=now,
        )
        with transaction.atomic():
            # Today's list last: a returning patient's intake follows their check-ins.
            seed_today(clinic=clinic, staff=staff, seed=seed, now=now)
        with transaction.atomic():
            # Reminders the worker would have sent by now; visits booked ahead, one
            # already answered by the patient through the portal.
            settle_reminders(seed=seed, now=now)
            book_ahead(clinic=clinic, staff=staff, seed=seed, now=now)
        with transaction.atomic():
            # The clinician's reviews: function after week 6, a few next-step decisions.
            seed_reviews(clinic=clinic, staff=staff, seed=seed, now=now)
            # A visit whose screening decision lapsed when a red flag was recorded.
            seed_lapsed_decision(clinic=clinic, staff=staff, now=now)
        with transaction.atomic():
            # The front desk's week: the second clinician's day, this week's bookings, arrivals.
            seed_schedule(clinic=clinic, staff=staff, second=second, seed=seed, now=now)
    total = Patient.objects.filter(clinic=clinic).count()
    return Seeded(clinic=clinic, created_patients=created, total_patients=total)


def _clinic(now: datetime) -> Clinic:
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        clinic = accounts.create_clinic(
            name="Riverside Muscle Pain Clinic (demo)",
            slug=CLINIC_SLUG,
            address="1 Example Way, Springfield",
            phone="(555) 010-0100",
            email="frontdesk@example.org",
            require_mfa=False,  # the README's demo logins use the password alone
        )
    return clinic


def _staff_member(clinic, username, first, last, role, *, now: datetime) -> User:
    member = User.objects.filter(username=username).first()
    if member is None:
        member = accounts.add_staff(
            clinic=clinic,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=role,
            password=DEMO_PASSWORD,
            actor=Actor.system("taut demo", now=now, clinic=clinic),
        )
    return member


def _pick(rng, rows):
    return rng.choices(rows, weights=[row[-1] for row in rows], k=1)[0]


def _person(rng, fakers, number, today) -> dict:
    """One synthetic patient. Draws the same random numbers whether or not it is saved."""
    language = _pick(rng, LANGUAGES)[0]
    fake = fakers[language]
    roll = rng.random()
    sex = "female" if roll < 0.6 else "male" if roll < 0.98 else "other"
    if sex == "female":
        given = fake.first_name_female()
    elif sex == "male":
        given = fake.first_name_male()
    else:
        given = fake.first_name()
    age_days = int(rng.triangular(19, 88, 48) * 365.25)
    family = rng.choice(FAMILY_NAMES)
    mean_weight, mean_height = (72, 163) if sex == "female" else (86, 177)
    weight = min(160.0, max(42.0, rng.gauss(mean_weight, 15)))
    height = min(200.0, max(145.0, rng.gauss(mean_height, 7)))
    return {
        "mrn": f"D{number:06d}",
        "given_name": given,
        "family_name": family,
        "date_of_birth": today - timedelta(days=age_days),
        "sex": sex,
        "preferred_language": language,
        # 555-0100 to 555-0199 are reserved for fiction in every North American area code.
        "phone": f"({rng.choice(['212', '312', '415', '503', '617'])}) 555-01{rng.randint(0, 99):02d}",
        "email": synthetic_email(given, family, number, rng.choice(["org", "com", "net"]))
        if rng.random() < 0.8
        else "",
        "address": f"{rng.randint(1, 999)} {rng.choice(FAMILY_NAMES)} Lane, Springfield",
        "weights": [
            Decimal(f"{min(160.0, max(42.0, weight + rng.uniform(-3, 3))):.1f}")
            for _ in range(rng.randint(1, 3))
        ],
        "height": Decimal(f"{height:.1f}") if rng.random() < 0.85 else None,
        "allergies": [_pick(rng, ALLERGIES) for _ in range(rng.choice([0, 0, 0, 1, 1, 2]))],
        "medications": [_pick(rng, MEDICATIONS) for _ in range(rng.randint(0, 4))],
        # A TPI clinic's patients come with a muscle pain condition, and often others.
        "conditions": [_pick(rng, PAIN_CONDITIONS)]
        + [_pick(rng, CONDITIONS) for _ in range(rng.randint(0, 2))],
        "measured_days_ago": sorted(rng.sample(range(1, 400), 3)),
    }


def _with_drawings(rng, person) -> dict:
    person["drawings"] = drawing_history(rng, [name for name, _, _ in person["conditions"]])
    return person


def synthetic_email(given: str, family: str, number: int, tld: str) -> str:
    ascii_given = unicodedata.normalize("NFKD", given).encode("ascii", "ignore").decode()
    local = "".join(ch for ch in ascii_given.lower() if ch.isalnum()) or "patient"
    return f"{local}.{family.lower()}{number}@example.{tld}"


def _register(clinic, staff, person, rng, now: datetime) -> None:
    """Register the patient and fill in their chart: each weight on the day it was measured,
    each pain drawing on its day, the rest as of now."""
    desk = Actor.staff(staff[Role.FRONT_DESK], now=now)
    nurse = Actor.staff(staff[Role.NURSE], now=now)
    today = now.astimezone(clinic.zone()).date()
    fields = {k: v for k, v in person.items() if k in patients.DEMOGRAPHIC_FIELDS}
    patient = patients.register_patient(clinic=clinic, actor=desk, **fields)
    for weight, days_ago in zip(person["weights"], person["measured_days_ago"], strict=False):
        day = today - timedelta(days_ago)
        entry: PatientRecord = Measurement(
            weight_kg=weight, height_cm=person["height"], measured_on=day
        )
        weighed = datetime.combine(day, time(9, 30), tzinfo=clinic.zone())
        patients.add_chart_entry(patient=patient, entry=entry, actor=nurse.at(weighed))
    for agent, anaesthetic, reaction, severity, _ in dict.fromkeys(person["allergies"]):
        entry = Allergy(agent=agent, anaesthetic=anaesthetic, reaction=reaction, severity=severity)
        patients.add_chart_entry(patient=patient, entry=entry, actor=nurse)
    for name, dose, antithrombotic, _ in dict.fromkeys(person["medications"]):
        entry = Medication(name=name, dose=dose, antithrombotic=antithrombotic)
        patients.add_chart_entry(patient=patient, entry=entry, actor=nurse)
    for name, icd10, _ in dict.fromkeys(person["conditions"]):
        entry = Condition(name=name, icd10=icd10)
        patients.add_chart_entry(patient=patient, entry=entry, actor=nurse)
    for days_ago, marks in person["drawings"]:
        drawn = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        record_drawing(patient=patient, marks=marks, no_pain=False, actor=nurse.at(drawn))
