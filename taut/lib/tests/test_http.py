"""Where a form may send the browser next: only a path on this site."""

import pytest
from django.test import RequestFactory

from taut.lib.http import same_origin_path


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [
        ("/patients/", False, "/patients/"),
        ("/patients/?page=2", True, "/patients/?page=2"),
        ("", False, ""),
        ("patients/", False, ""),  # relative: not a path from the site's root
        ("https://evil.example/", True, ""),
        ("//evil.example/", False, ""),
        ("/\\evil.example/", False, ""),
        ("///evil.example/", False, ""),
        ("/\t/evil.example/", False, ""),  # browsers drop the tab: //evil.example
        ("/\n/evil.example/", False, ""),
        ("http://testserver/patients/", False, ""),  # a full URL, even this site's
        ("http://testserver/patients/", True, ""),
        ("https://testserver/patients/", True, ""),
        ("javascript:alert(1)", False, ""),
    ],
)
def test_it_keeps_only_paths_on_this_site(target, secure, expected):
    request = RequestFactory().get("/login/", secure=secure)
    assert same_origin_path(request, target) == expected
