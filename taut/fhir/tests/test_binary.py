"""The signed note's PDF through FHIR (the DocumentReference's attachment): prepared by the
worker, then served as the PDF or as a Binary resource, audited as a view of the note."""

import base64

from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import sign_in
from taut.tests.renders import run_renders


def test_it_serves_the_signed_note_once_the_worker_rendered_it(client, cast):
    visit = flow.signed(cast.patient, cast.clinician)
    sign_in(client, cast.clinician)
    url = f"/fhir/Binary/{visit.public_id}"
    waiting = client.get(url)
    if waiting.status_code == 503:  # queued for the worker
        assert waiting["Retry-After"] == "5"
        assert "rendered" in run_renders()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    as_fhir = client.get(url, headers={"Accept": "application/fhir+json"}).json()
    assert as_fhir["resourceType"] == "Binary"
    assert base64.b64decode(as_fhir["data"]) == response.content
    seen = AuditEvent.objects.filter(
        action=Action.VIEW, object_type="note", actor_id=cast.clinician.pk
    )
    assert seen.filter(object_id=str(visit.public_id)).exists()


def test_it_has_no_binary_for_an_unsigned_visit_or_another_clinic(client, cast):
    visit = flow.signed(cast.patient, cast.clinician)
    sign_in(client, cast.outsider)
    assert client.get(f"/fhir/Binary/{visit.public_id}").status_code == 404
    sign_in(client, cast.front_desk)
    assert client.get(f"/fhir/Binary/{visit.public_id}").status_code == 403
