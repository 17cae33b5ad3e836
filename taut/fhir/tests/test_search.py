"""FHIR search matching (pure): tokens, dates with prefixes and precision, parse errors."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.fhir.mapping import search

PROCEDURE = {
    "resourceType": "Procedure",
    "id": "p1",
    "status": "completed",
    "subject": {"reference": "Patient/abc"},
    "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "20553"}]},
    "performedPeriod": {"start": "2026-03-10T14:30:00Z"},
    "meta": {"lastUpdated": "2026-03-11T09:00:00Z"},
}


def found(query):
    return search.matches(PROCEDURE, search.parse("Procedure", query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ([("code", "20553")], True),
        ([("code", "http://www.ama-assn.org/go/cpt|20553")], True),
        ([("code", "http://snomed.info/sct|20553")], False),
        ([("code", "http://www.ama-assn.org/go/cpt|")], True),
        ([("code", "20552,20553")], True),  # comma: OR
        ([("code", "20552"), ("code", "20553")], False),  # repeated: AND
        ([("status", "completed")], True),
        ([("patient", "abc")], True),
        ([("subject", "Patient/abc")], True),
        ([("patient", "xyz")], False),
        ([("date", "2026")], True),
        ([("date", "2026-03")], True),
        ([("date", "2026-03-10")], True),
        ([("date", "2026-03-11")], False),
        ([("date", "gt2026-03-09")], True),
        ([("date", "lt2026-03-10")], False),
        ([("date", "le2026-03-10")], True),
        ([("date", "ge2026-03-11")], False),
        ([("date", "ne2026-03-10")], False),
        ([("date", "sa2026-03-09"), ("date", "eb2026-03-11")], True),
        ([("_lastUpdated", "gt2026-03-10T23:59:59Z")], True),
        ([("_lastUpdated", "gt2026-03-11T09:00:00Z")], False),
        ([("_id", "p1")], True),
        ([("_count", "5"), ("_id", "p2")], False),  # _count is not a filter
    ],
)
def test_it_matches_the_r4_search_semantics(query, expected):
    assert found(query) is expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([("colour", "red")], "no search parameter 'colour'"),
        ([("code:text", "x")], "Modifier"),
        ([("date", "tomorrow")], "is not a FHIR date"),
        ([("date", "")], "needs a value"),
        ([("identifier", "1")], "no search parameter 'identifier'"),
    ],
)
def test_it_refuses_what_it_cannot_honour(query, message):
    with pytest.raises(search.SearchError, match=message):
        search.parse("Procedure", query)


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
)


@given(moments, moments)
def test_it_orders_days_consistently(stamp, day):
    """For any resource time and any searched day: exactly one of lt, eq, gt holds (the day
    before, the day of, the day after), and ge/le are eq with gt/lt."""
    resource = dict(PROCEDURE, performedPeriod={"start": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")})
    value = day.date().isoformat()

    def holds(prefix):
        return search.matches(resource, search.parse("Procedure", [("date", prefix + value)]))

    assert [holds("lt"), holds("eq"), holds("gt")].count(True) == 1
    assert holds("eq") is (stamp.date() == day.date())
    assert holds("lt") is (stamp.date() < day.date())
    assert holds("ge") is (holds("eq") or holds("gt"))
    assert holds("le") is (holds("eq") or holds("lt"))


@given(moments)
def test_it_reads_each_precision_as_the_range_it_covers(moment):
    for text, width in (
        (moment.strftime("%Y-%m-%d"), timedelta(days=1)),
        (moment.strftime("%Y-%m-%dT%H:%M:%SZ"), timedelta(seconds=1)),
    ):
        _, start, end = search.date_range(text)
        assert end - start == width
        assert start <= moment.replace(microsecond=0) < start + width or width.days == 1


def test_it_reads_a_bar_before_a_code_as_no_system():
    """``code=|20553`` asks for a coding without a system (FHIR R4 token search), so a CPT
    coding does not match it; a system-less ``code`` element (AllergyIntolerance.category)
    does."""
    assert not found([("code", "|20553")])
    allergy = {"resourceType": "AllergyIntolerance", "id": "a1", "category": ["medication"]}
    assert search.matches(
        allergy, search.parse("AllergyIntolerance", [("category", "|medication")])
    )


def test_it_reads_a_date_without_a_zone_in_the_clinics_zone():
    """R4: a search date without a time zone is the server's local time. A session at
    22:00 in Chicago (CDT) on 10 March is 03:00 UTC on the 11th: the clinic searching for the
    10th finds it."""
    chicago = ZoneInfo("America/Chicago")
    evening = dict(PROCEDURE, performedPeriod={"start": "2026-03-11T03:00:00Z"})

    def on(day, zone):
        return search.matches(evening, search.parse("Procedure", [("date", day)]), zone=zone)

    assert on("2026-03-10", chicago) and not on("2026-03-11", chicago)
    assert on("2026-03-11", UTC) and not on("2026-03-10", UTC)
    assert on("2026-03-10T22:00:00", chicago)  # a local time (CDT), read in the clinic's zone
    assert on("2026-03-11T03:00:00Z", chicago)  # an explicit zone wins


@pytest.mark.parametrize(
    ("resource", "param", "value", "expected"),
    [
        ({"resourceType": "Goal", "id": "g", "lifecycleStatus": "active"}, "lifecycle-status", "active", True),
        ({"resourceType": "Goal", "id": "g", "lifecycleStatus": "active"}, "status", "completed", False),
        ({"resourceType": "Condition", "id": "c", "clinicalStatus": {"coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}},
         "clinical-status", "active", True),
    ],
)  # fmt: skip
def test_it_serves_r4s_own_status_names_and_status_alike(resource, param, value, expected):
    criteria = search.parse(resource["resourceType"], [(param, value)])
    assert search.matches(resource, criteria) is expected


def test_it_offers_no_status_where_there_is_none():
    assert "status" not in search.supported("Provenance")
    with pytest.raises(search.SearchError, match="no search parameter 'status'"):
        search.parse("Provenance", [("status", "x")])
