"""FHIR Bulk Data export (Bulk Data Access IG 2.0; docs/decisions/0045-bulk-export.md).

``kickoff`` reads a kick-off request's headers and parameters; ``services`` starts,
cancels and purges jobs (``taut.fhir.models.ExportJob``); ``running`` is the worker's half,
streaming each type's resources from ``taut.fhir.registry.KINDS`` into NDJSON files in
``storage``; ``queries`` finds a caller's job and builds its manifest. The views are
``taut.fhir.bulk_views``, the task ``taut.fhir.tasks.export_task``.
"""
