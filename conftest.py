"""Test-wide setup: speed tweaks (in one place) and the named cast as fixtures."""

import pytest

from taut.tests.cast import build_cast, sign_in


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db):
    """A clinic's staff in every role, an outsider from another clinic, and a patient each."""
    return build_cast()


@pytest.fixture
def signed_in(client):
    def sign(user):
        return sign_in(client, user)

    return sign
