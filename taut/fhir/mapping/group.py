"""The clinic's patients as a Group: what ``Group/[id]/$export`` exports (Bulk Data IG 2.0).

Base R4 Group (US Core 6.1 has no Group profile; docs/fhir.md): ``type`` person, ``actual``
true (the clinic's real patients, not a definition), ``quantity`` the number of them, the
clinic as ``managingEntity``. Members are not listed: a clinic has thousands, and the export
itself is how a client reads them. The Group's id is the clinic's public id.
"""

from typing import Any

from taut.fhir.mapping.base import Json, ref, resource


def group(clinic: Any, *, quantity: int) -> Json:
    return resource(
        "Group",
        clinic.public_id,
        last_updated=None,
        active=True,
        type="person",
        actual=True,
        name=f"Patients of {clinic.name}",
        quantity=quantity,
        managingEntity=ref("Organization", clinic.public_id, clinic.name),
    )
