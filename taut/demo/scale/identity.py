"""A replica's new identity: an invented name, MRN, date of birth and contact details."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from taut.clinical.dosing.factors import ADULT_AGE, age_on
from taut.demo.seed import FAMILY_NAMES, LANGUAGES, synthetic_email
from taut.patients.models import Patient

# A replica's new identity.


class Names:
    """Given names by language and sex from the demo's Faker locales, made once."""

    def __init__(self, seed: int):
        from faker import Faker  # here: importing it costs every test worker 0.4 s

        self.pools: dict[tuple[str, str], list[str]] = {}
        for language, locale, _ in LANGUAGES:
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.pools[language, "female"] = [fake.first_name_female() for _ in range(60)]
            self.pools[language, "male"] = [fake.first_name_male() for _ in range(60)]
            self.pools[language, "other"] = [fake.first_name() for _ in range(60)]

    def given(self, rng: random.Random, language: str, sex: str) -> str:
        pool = self.pools.get((language, sex)) or self.pools["en", "other"]
        return rng.choice(pool)


@dataclass(frozen=True)
class Identity:
    number: int
    given_name: str
    family_name: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    rng: random.Random


def identity_for(rng, names: Names, original: Patient, number: int, now: datetime) -> Identity:
    given = names.given(rng, original.preferred_language, original.sex)
    family = rng.choice(FAMILY_NAMES)
    email = synthetic_email(given, family, number, rng.choice(["org", "com", "net"]))
    return Identity(
        number=number,
        given_name=given,
        family_name=family,
        date_of_birth=born_near(rng, original.date_of_birth, now.date()),
        phone=f"({rng.choice(['212', '312', '415', '503', '617'])}) 555-01{rng.randint(0, 99):02d}",
        email=email if original.email else "",
        address=f"{rng.randint(1, 999)} {rng.choice(FAMILY_NAMES)} Lane, Springfield",
        rng=rng,
    )


def born_near(rng: random.Random, born: date, today: date) -> date:
    """A date of birth near ``born`` that keeps the patient's dosing age bands (adult, over
    70) the same on every day of a history up to two years long; else ``born``."""

    def bands(dob: date) -> tuple:
        return tuple(
            (age >= ADULT_AGE, age >= 70)
            for age in (age_on(dob, today - timedelta(days=d)) for d in (0, 365, 730))
        )

    for _ in range(5):
        years = rng.randint(-4, 4)
        try:
            moved = born.replace(year=born.year + years)
        except ValueError:  # 29 February
            moved = born.replace(year=born.year + years, day=28)
        moved += timedelta(days=rng.randint(-180, 180))
        if moved < today and bands(moved) == bands(born):
            return moved
    return born


def replica_mrn(number: int) -> str:
    return f"S{number:07d}"
