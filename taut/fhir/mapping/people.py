"""Patient, Organization (the clinic), Practitioner and PractitionerRole (its staff)."""

from typing import Any

from taut.fhir.mapping import codes
from taut.fhir.mapping.base import Json, coding, concept, day, ref, resource, taut_coding


def organization(clinic: Any) -> Json:
    """The clinic ([UC] us-core-organization: active, name, telecom, address)."""
    return resource(
        "Organization",
        clinic.public_id,
        last_updated=None,
        profiles=(codes.us_core("us-core-organization"),),
        active=True,
        name=clinic.name,
        telecom=_telecom(phone=clinic.phone, email=clinic.email, use="work"),
        address=_address(clinic.address),
    )


def patient(patient: Any, *, clinic_public_id: object, language: str) -> Json:
    """A patient ([UC] us-core-patient: identifier, name, gender, birthDate, telecom,
    address, communication.language). ``language`` is the preferred language's name."""
    return resource(
        "Patient",
        patient.public_id,
        last_updated=patient.updated_at,
        profiles=(codes.us_core("us-core-patient"),),
        identifier=[
            {
                "use": "usual",
                "type": concept(coding(codes.V2_0203, "MR", "Medical record number")),
                "system": codes.mrn_system(clinic_public_id),
                "value": patient.mrn,
            }
        ],
        active=True,
        name=[{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
        telecom=_telecom(phone=patient.phone, email=patient.email, use="home"),
        gender=patient.sex,
        birthDate=day(patient.date_of_birth),
        address=_address(patient.address),
        communication=[
            {
                "language": concept(
                    coding(codes.BCP47, patient.preferred_language, language), text=language
                ),
                "preferred": True,
            }
        ],
        managingOrganization=ref("Organization", clinic_public_id),
    )


def practitioner(user: Any) -> Json:
    """A member of staff ([UC] us-core-practitioner: identifier, name). Taut holds no NPI,
    so the identifier is the staff member's Taut id."""
    name: Json = {"family": user.last_name or user.username}
    if user.first_name:
        name["given"] = [user.first_name]
    return resource(
        "Practitioner",
        user.public_id,
        last_updated=None,
        profiles=(codes.us_core("us-core-practitioner"),),
        identifier=[{"system": codes.taut_identifier("staff"), "value": str(user.public_id)}],
        active=user.is_active,
        name=[name],
        telecom=_telecom(phone="", email=user.email, use="work"),
    )


def practitioner_role(user: Any, *, clinic_public_id: object, role_label: str) -> Json:
    """The staff member's role at the clinic ([UC] us-core-practitionerrole). Its id is the
    staff member's: Taut gives each person one role."""
    return resource(
        "PractitionerRole",
        user.public_id,
        last_updated=None,
        profiles=(codes.us_core("us-core-practitionerrole"),),
        active=user.is_active,
        practitioner=ref("Practitioner", user.public_id, user.get_full_name()),
        organization=ref("Organization", clinic_public_id),
        code=[concept(taut_coding("staff-role", user.role, role_label), text=role_label)],
        telecom=_telecom(phone="", email=user.email, use="work"),
    )


def _telecom(*, phone: str, email: str, use: str) -> list[Json]:
    points = []
    if phone:
        points.append({"system": "phone", "value": phone, "use": use})
    if email:
        points.append({"system": "email", "value": email, "use": use})
    return points


def _address(text: str) -> list[Json]:
    """Taut keeps an address as free text: its lines, and the whole as ``text``."""
    lines = [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]
    return [{"text": ", ".join(lines), "line": lines}] if lines else []
