"""SMART 2.0 scopes (taut.smart.scopes): the grammar of SMART App Launch 2.0.0, "Scopes and
Launch Context" (https://hl7.org/fhir/smart-app-launch/STU2/scopes-and-launch-context.html),
cut down to what a read-only API grants. No database."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taut.smart import scopes
from taut.smart.scopes import ResourceScope

ROOT = Path(__file__).resolve().parents[3]

# (asked, granted): each case from the spec's grammar or its v1 compatibility table.
PARSE_CASES = [
    ("patient/Observation.rs", "patient/Observation.rs"),  # v2 read + search
    ("patient/Observation.read", "patient/Observation.rs"),  # v1 .read = .rs
    ("user/*.rs", "user/*.rs"),
    ("system/*.rs", "system/*.rs"),
    ("user/*.cruds", "user/*.rs"),  # writes never granted: read-only API
    ("patient/*.*", "patient/*.rs"),  # v1 .* = .cruds
    ("patient/Observation.cud", ""),  # only writes: not granted
    ("patient/Observation.write", ""),  # v1 .write = .cud
    ("patient/Observation.r", "patient/Observation.r"),
    ("patient/Observation.s", "patient/Observation.s"),
    ("patient/Observation.sr", ""),  # letters out of SMART's order
    ("patient/Observation.rrs", ""),  # repeated letter
    ("patient/Observation.rs?category=vital-signs", ""),  # granular: not granted
    ("patient/observation.rs", ""),  # resource types start with a capital
    ("doctor/Observation.rs", ""),  # unknown context
    ("launch", ""),  # EHR launch: Taut offers standalone only
    (
        "openid fhirUser launch/patient offline_access",
        "openid fhirUser launch/patient offline_access",
    ),
    ("online_access", "online_access"),
    ("profile email", ""),
    (
        "patient/Observation.rs openid patient/Procedure.read",
        "openid patient/Observation.rs patient/Procedure.rs",
    ),
]


@pytest.mark.parametrize("asked, granted", PARSE_CASES)
def test_it_parses_smart_scopes_as_a_read_only_server_grants_them(asked, granted):
    assert scopes.parse(asked).text() == granted


def test_it_names_the_words_it_would_not_grant():
    assert scopes.unknown("user/*.rs patient/X.cud bogus openid") == ["patient/X.cud", "bogus"]


WITHIN_CASES = [
    # (asked, allowed for the app, granted)
    ("patient/*.rs", "patient/Observation.rs patient/Procedure.rs",
     "patient/Observation.rs patient/Procedure.rs"),
    ("patient/Observation.rs", "patient/*.rs", "patient/Observation.rs"),
    ("patient/Observation.rs", "patient/*.r", "patient/Observation.r"),
    ("user/*.rs", "patient/*.rs", ""),  # another context
    ("system/*.rs openid", "system/Patient.rs", "system/Patient.rs"),
    ("openid fhirUser", "openid", "openid"),
]  # fmt: skip


@pytest.mark.parametrize("asked, allowed, granted", WITHIN_CASES)
def test_it_grants_only_what_the_app_is_registered_for(asked, allowed, granted):
    assert scopes.within(scopes.parse(asked), scopes.parse(allowed)).text() == granted


def test_it_keeps_a_front_desk_user_to_demographic_resources():
    asked = scopes.parse("openid user/*.rs patient/Observation.rs patient/Patient.rs")
    granted = scopes.for_role(asked, clinical=False)
    assert granted.text() == (
        "openid patient/Patient.rs user/Organization.rs user/Patient.rs "
        "user/Practitioner.rs user/PractitionerRole.rs user/Questionnaire.rs"
    )
    assert scopes.for_role(asked, clinical=True) == asked


@pytest.mark.parametrize(
    "granted, contexts, resource, interaction, allowed",
    [
        ("patient/Observation.rs", ["patient"], "Observation", "read", True),
        ("patient/Observation.rs", ["patient"], "Observation", "search", True),
        ("patient/Observation.r", ["patient"], "Observation", "search", False),
        ("patient/Observation.rs", ["patient"], "Procedure", "read", False),
        ("patient/*.rs", ["patient"], "Procedure", "read", True),
        ("patient/*.rs", ["user"], "Procedure", "read", False),
        ("system/*.rs", ["system"], "Patient", "search", True),
        ("system/*.rs", ["system"], "Patient", "delete", False),
    ],
)
def test_it_answers_whether_a_grant_allows_an_interaction(
    granted, contexts, resource, interaction, allowed
):
    assert scopes.parse(granted).allows(contexts, resource, interaction) is allowed


def test_it_describes_each_scope_in_words():
    assert scopes.describe(ResourceScope("patient", "Observation", "rs")) == (
        "Read and search Observation records of the chosen patient"
    )
    assert scopes.describe(ResourceScope("user", "*", "r")) == "Read all records you can see"


letters = st.sets(st.sampled_from("cruds"), min_size=1).map(
    lambda chosen: "".join(c for c in "cruds" if c in chosen)
)
resource_scopes = st.builds(
    ResourceScope,
    st.sampled_from(scopes.CONTEXTS),
    st.sampled_from(["*", "Observation", "Patient", "Procedure"]),
    letters,
)
words = st.one_of(
    resource_scopes.map(ResourceScope.text),
    st.sampled_from(scopes.IDENTITY_SCOPES),
    st.text(alphabet="abcdrsuxP/.*?=", max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=8))
def test_it_never_grants_a_write_and_reparses_what_it_grants(asked):
    granted = scopes.parse(" ".join(asked))
    assert all(set(s.permissions) <= {"r", "s"} for s in granted.resources)
    assert scopes.parse(granted.text()) == granted


@settings(max_examples=200, deadline=None)
@given(st.lists(resource_scopes, max_size=5), st.lists(resource_scopes, max_size=5))
def test_it_never_grants_beyond_either_side(asked, allowed):
    asked_scopes = scopes.parse(" ".join(s.text() for s in asked))
    allowed_scopes = scopes.parse(" ".join(s.text() for s in allowed))
    granted = scopes.within(asked_scopes, allowed_scopes)
    for scope in granted.resources:
        for interaction in ("read", "search"):
            for resource in ("Observation", "Patient", "Procedure", "Condition"):
                if scope.covers(resource, scopes.INTERACTIONS[interaction]):
                    assert asked_scopes.allows([scope.context], resource, interaction)
                    assert allowed_scopes.allows([scope.context], resource, interaction)


def test_it_loads_the_scopes_without_django():
    """The scope rules are pure, as taut.clinical's are: no Django, no settings."""
    code = (
        "import sys, taut.smart.scopes\n"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
