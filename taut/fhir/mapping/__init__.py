"""Taut's records as FHIR R4 (4.0.1) resources: plain JSON dicts, no Django, no I/O.

Each function takes the records it maps (model instances or anything with the same
attributes, already loaded by ``taut.fhir.queries``) and returns one resource, or a list.
The codes and their sources are ``taut.fhir.mapping.codes`` and ``docs/fhir.md``.
Resource ids are Taut's public ids, so a resource's FHIR address and its page name the same
record (issue 18); where one Taut record yields two resources of one type (a site's
anaesthetic and its steroid) the second id is derived from the first (``derived_id``).
"""
