"""``outcome_facts``: the counts and latest stamps a printed outcomes page is made from,
read in one written-out statement, spelt as the ORM read them before (so PDFs stored
before keep their fingerprints)."""

from django.db.models import Count, Max

from taut.aftercare import services as aftercare
from taut.aftercare.models import CheckIn
from taut.aftercare.tests import flow
from taut.outcomes.models import FunctionReading
from taut.outcomes.queries import outcome_facts
from taut.visits.models import Visit


def expected(patient) -> list[str]:
    """The same facts through the ORM, one aggregate per table; a count of nothing is
    "None", as the correlated subqueries it replaced gave."""
    signed = Visit.objects.filter(patient=patient, note__isnull=False).aggregate(
        n=Count("pk"), last=Max("note__signed_at")
    )
    answered = CheckIn.objects.filter(patient=patient, completed_at__isnull=False).aggregate(
        n=Count("pk"), last=Max("completed_at")
    )
    readings = FunctionReading.objects.filter(patient=patient).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    facts = []
    for row in (signed, answered, readings):
        facts += [str(row["n"] or None), str(row["last"])]
    return facts


def test_it_reads_nothing_as_none_for_a_patient_without_sessions(cast):
    assert outcome_facts(cast.patient) == ["None"] * 6


def test_it_counts_signed_sessions_and_answered_check_ins_in_one_query(
    cast, django_assert_num_queries
):
    visit = flow.signed(cast.patient, cast.clinician)
    with django_assert_num_queries(1):
        before = outcome_facts(cast.patient)
    assert before == expected(cast.patient)
    assert before[0] == "1" and before[1].endswith("+00:00") and before[2] == "None"
    checkin = visit.checkins.order_by("due_on").first()
    aftercare.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, nrs=3),
        actor=flow.on_due_day(cast.nurse, checkin),
    )
    after = outcome_facts(cast.patient)
    assert after == expected(cast.patient) and after[2] == "1" and after != before


def test_it_reads_only_the_patients_own_records(cast):
    flow.signed(cast.patient, cast.clinician)
    flow.signed(cast.other_patient, cast.outsider)
    flow.signed(cast.other_patient, cast.outsider)
    assert outcome_facts(cast.patient)[0] == "1"
    assert outcome_facts(cast.other_patient)[0] == "2"
    assert outcome_facts(cast.other_patient) == expected(cast.other_patient)
