"""Loaders: for one resource type, every resource a ``Scope`` holds, read in chunks.

A loader yields ``(patient, resource)`` pairs (``patient`` None for a resource outside any
patient's compartment: the clinic, its staff) in a stable order. It reads through the
querysets of the apps that own the records (``select_related``/``prefetch_related`` so that
a chunk of patients costs a fixed number of queries) and maps with ``taut.fhir.mapping``.
"""
