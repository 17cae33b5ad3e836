"""Issue 18, Proof: the OpenAPI 3.1 description of the FHIR API, and schemathesis run against
it in-process (WSGI) as a signed-in clinician of a small seeded demo clinic: no 5xx, and every
response has a documented status, content type and headers and conforms to its schema (the
R4 JSON schema's definitions). Generated requests (valid and invalid) for every operation,
then each operation with the clinic's real ids, whose 200s are the bodies worth checking
(decision 0046)."""

from collections import Counter

import pytest
import schemathesis
from django.conf import settings
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from taut.accounts.models import User
from taut.fhir.openapi import description
from taut.fhir.queries import REVINCLUDES
from taut.fhir.registry import KINDS
from taut.fhir.terminology import ids as code_system_ids
from taut.fhir.tests.bulk import run_exports
from taut.tests.cast import sign_in
from taut.tests.renders import drop_renders, run_renders
from taut.visits.models import Visit

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json"
BASE_URL = "http://localhost/fhir"  # schemathesis's WSGI client sets cookies for localhost
EXAMPLES = 10  # generated requests per operation and mode (deterministic: derandomized)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class DjangoWsgi:
    """The Django application as a WSGI callable that keeps the test's database connection
    (and its open transaction): Django's test ``ClientHandler`` under a WSGI face."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if response.streaming:
            return response.streaming_content
        return [response.content]


@pytest.fixture(scope="module")
def clinic(demo):
    """The demo clinic, with one signed note's PDF rendered (Binary has a real 200)."""
    drop_renders()
    client = Client()
    sign_in(client, clinician(demo))
    visit = signed_visits(demo).first()
    assert client.get(f"/fhir/Binary/{visit.public_id}").status_code == 503  # queued
    run_renders()
    return demo


def clinician(clinic) -> User:
    return User.objects.get(clinic=clinic, username="clinician")


def signed_visits(clinic):
    return Visit.objects.filter(patient__clinic=clinic, note__signed_at__isnull=False).order_by(
        "scheduled_for", "pk"
    )


@pytest.fixture
def api(clinic):
    """The schema loaded by schemathesis with the app, and the cookies that sign the calls in
    as the clinic's clinician (their session)."""
    document = description(version="test")
    # Signed in by the session cookie passed on each call: without this schemathesis would
    # send made-up credentials for the documented schemes (a bearer token, a cookie).
    document["security"] = []
    schema = schemathesis.openapi.from_dict(document)
    schema.app = DjangoWsgi()
    return schema, cookies_for(clinician(clinic))


def cookies_for(user) -> dict[str, str]:
    """The session cookie that signs a call in as ``user``."""
    client = Client()
    sign_in(client, user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_it_describes_every_served_type_with_its_search_parameters():
    """Each registry type has a read and a search documented with the type's own search
    parameters; bodies point at the R4 definitions, and every reference resolves."""
    document = description(version="test")
    paths, schemas = document["paths"], document["components"]["schemas"]
    for name, kind in KINDS.items():
        read = paths[f"/{name}/{{id}}"]["get"]
        assert read["responses"]["200"]["content"]["application/fhir+json"]["schema"] == {
            "$ref": f"#/components/schemas/{name}"
        }
        search = paths[f"/{name}"]["get"]
        assert set(kind.search) <= {p["name"] for p in search["parameters"]}
        assert name in schemas["ServedResource"]["properties"]["resourceType"]["enum"]
    assert {"/metadata", "/Patient/{id}/$everything", "/Binary/{id}", "/CodeSystem/{id}"} <= set(
        paths
    )
    assert {"Bundle", "OperationOutcome", "CapabilityStatement"} <= set(schemas)
    assert not unresolved(document)


def unresolved(document) -> set[str]:
    schemas, responses = document["components"]["schemas"], document["components"]["responses"]
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "$ref":
                    section, _, name = item.removeprefix("#/components/").partition("/")
                    if name not in {"schemas": schemas, "responses": responses}.get(section, {}):
                        found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


def test_it_serves_the_description_to_anyone(client):
    """``/fhir/openapi.json`` needs no sign-in, like ``/fhir/metadata``."""
    response = client.get("/fhir/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    served = response.json()
    assert served["openapi"] == "3.1.0"
    assert served["paths"].keys() == description(version="test")["paths"].keys()


def test_it_answers_an_unknown_fhir_address_with_an_operation_outcome(client):
    """An address under /fhir/ that names nothing (any method) is a FHIR 404, not a page."""
    for method in ("get", "delete"):
        response = getattr(client, method)("/fhir/Patient/not%20an%20id")
        assert response.status_code == 404
        assert response["Content-Type"] == FHIR_JSON
        assert response.json()["resourceType"] == "OperationOutcome"


def test_it_is_a_valid_openapi_3_1_document():
    """schemathesis loads the description and finds every operation well formed."""
    document = description(version="test")
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(methods) for methods in document["paths"].values())
    assert len(operations) >= 2 * len(KINDS) + 4


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_it_answers_generated_requests_as_documented(api, mode):
    """For every operation, requests that schemathesis generates from the description (valid
    ones, then invalid ones, which must be refused with a 4xx) get no 5xx and a response
    conforming to the description."""
    schema, cookies = api
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    failures, statuses = [], Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(base_url=BASE_URL, cookies=cookies, checks=checks)
            statuses[response.status_code] += 1

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to get wrong: no parameters
        except Exception as error:  # noqa: BLE001 (collect each operation's failure)
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    if mode is GenerationMode.POSITIVE:
        assert statuses[200], statuses  # signed in: some requests found records


def test_it_answers_reads_and_searches_of_real_records_as_documented(api, clinic):
    """Each operation with the clinic's own ids and values: every type read by the id of a
    resource it emitted, searched by patient and by that id, a patient's $everything, a
    note's PDF (both forms) and each CodeSystem; all 200 and conforming."""
    schema, cookies = api
    client = Client()
    sign_in(client, clinician(clinic))
    patient_id = str(signed_visits(clinic).first().patient.public_id)
    cases = []
    for name, kind in KINDS.items():
        found = client.get(f"/fhir/{name}", {"_count": 3}).json()
        ids = [e["resource"]["id"] for e in found.get("entry", [])]
        assert ids, name
        read, search = schema[f"/{name}/{{id}}"]["GET"], schema[f"/{name}"]["GET"]
        cases += [read.Case(path_parameters={"id": i}) for i in ids]
        cases.append(search.Case(query={"_id": ids[0], "_count": 2}))
        if "patient" in kind.search:
            cases.append(search.Case(query={"patient": patient_id}))
    revinclude = sorted(r for r in REVINCLUDES if r.split(":")[0] in KINDS)
    cases.append(
        schema["/Procedure"]["GET"].Case(query={"patient": patient_id, "_revinclude": revinclude})
    )
    cases.append(schema["/Group/{id}"]["GET"].Case(path_parameters={"id": str(clinic.public_id)}))
    cases.append(
        schema["/Patient/{id}/$everything"]["GET"].Case(path_parameters={"id": patient_id})
    )
    cases.append(schema["/metadata"]["GET"].Case())
    binary = schema["/Binary/{id}"]["GET"]
    visit_id = str(signed_visits(clinic).first().public_id)
    cases.append(binary.Case(path_parameters={"id": visit_id}))
    cases.append(binary.Case(path_parameters={"id": visit_id},
                             headers={"Accept": "application/fhir+json"}))  # fmt: skip
    code_systems = schema["/CodeSystem/{id}"]["GET"]
    cases += [code_systems.Case(path_parameters={"id": i}) for i in code_system_ids()]
    statuses = []
    for case in cases:
        response = case.call_and_validate(base_url=BASE_URL, cookies=cookies, checks=CHECKS)
        statuses.append((case.operation.label, case.formatted_path, response.status_code))
    assert {s for *_, s in statuses} == {200}, statuses


def test_it_runs_an_export_as_documented(api, clinic, settings, tmp_path):
    """A clinic lead's Bulk Data export through its documented operations: the kick-off (202
    naming the status URL), the status while queued (202), the manifest once the export has
    run (200), each file (NDJSON), then the export cancelled (202) and gone (404)."""
    schema, _ = api
    settings.STORAGES = {
        **settings.STORAGES,
        "fhir_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    cookies = cookies_for(User.objects.get(clinic=clinic, username="lead"))

    def call(path, method="GET", status=200, **case):
        operation = schema[path][method]
        response = operation.Case(**case).call_and_validate(
            base_url=BASE_URL, cookies=cookies, checks=CHECKS
        )
        assert response.status_code == status, (path, response.status_code, response.text)
        return response

    kickoff = call("/Group/{id}/$export", status=202,
                   path_parameters={"id": str(clinic.public_id)}, query={"_type": "Patient"},
                   headers={"Accept": FHIR_JSON, "Prefer": "respond-async"})  # fmt: skip
    (location,) = kickoff.headers["content-location"]
    job = {"job": location.rsplit("/", 1)[-1]}
    assert call("/bulk/{job}", status=202, path_parameters=job).headers["x-progress"]
    assert run_exports()
    manifest = call("/bulk/{job}", path_parameters=job).json()
    assert [f["type"] for f in manifest["output"]] == ["Patient"]
    for file in manifest["output"]:
        path = {**job, "file": file["url"].rsplit("/", 1)[-1]}
        assert (
            call("/bulk/{job}/{file}", path_parameters=path).content.count(b"\n") == file["count"]
        )
    call("/bulk/{job}", "DELETE", status=202, path_parameters=job)
    call("/bulk/{job}", status=404, path_parameters=job)
