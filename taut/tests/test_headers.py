"""What every response says about itself, and what the log keeps of a refused request."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

from taut.lib.headers import policy_header


def test_it_writes_a_permissions_policy_header_from_its_setting():
    policy = {"camera": [], "publickey-credentials-get": ["self"], "x": ["self", '"a"']}
    expected = 'camera=(), publickey-credentials-get=(self), x=(self "a")'
    assert policy_header(policy) == expected


def test_it_denies_what_taut_does_not_use_on_every_page(client):
    """Without a database: the sign-in page and a 404 (WebAuthn allowed for passkeys)."""
    for url in ("/login/", "/no-such-page/"):
        policy = client.get(url)["Permissions-Policy"]
        features = dict(part.split("=") for part in policy.split(", "))
        for denied in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
            assert features[denied] == "()", (url, denied)
        assert features["publickey-credentials-get"] == "(self)"
        assert features["publickey-credentials-create"] == "(self)"


@pytest.mark.parametrize(("status", "traceback"), [(403, False), (404, False), (500, True)])
def test_it_logs_a_refusal_as_one_line_without_its_traceback(status, traceback):
    """The filter on the configured console handler (settings.LOGGING) drops a 4xx's
    traceback and keeps a 500's."""
    console = next(h for h in logging.getLogger().handlers if h.filters)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    for kept in console.filters:
        handler.addFilter(kept)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        try:
            raise PermissionDenied("refused")
        except PermissionDenied as error:
            log_response(
                "Refused: %s", "/patients/x/", response=HttpResponse(status=status),
                request=RequestFactory().get("/patients/x/"), exception=error,
            )  # fmt: skip
    finally:
        logger.removeHandler(handler)
    assert "Refused: /patients/x/" in out.getvalue()
    assert ("Traceback" in out.getvalue()) is traceback
