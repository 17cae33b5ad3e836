"""The clinic's public side, open without sign-in: the page about trigger point injections
(and its printable handout), the self-check and the appointment request, under /c/<clinic>/."""

from django.urls import path  # noqa: F401

app_name = "public"
urlpatterns: list = []
