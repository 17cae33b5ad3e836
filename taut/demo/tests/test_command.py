"""`taut demo` seeds staff accounts with a published password: it refuses a database that
is not a local SQLite file unless told it is a throwaway."""

import pytest
from django.core.management import CommandError, call_command

from taut.accounts.models import User
from taut.demo.management.commands.demo import local_sqlite


@pytest.mark.parametrize(
    ("engine", "local"),
    [
        ("django.db.backends.sqlite3", True),
        ("django.db.backends.postgresql", False),
        ("django.db.backends.mysql", False),
    ],
)
def test_it_knows_a_local_sqlite_file_from_a_database_server(engine, local):
    assert local_sqlite({"ENGINE": engine, "NAME": "x"}) is local


# The command refuses before it opens the database, so pointing the setting elsewhere is safe.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_it_refuses_a_database_server_without_the_flag(db, settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql",
                    "HOST": "db.example.org"},
    }  # fmt: skip
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("demo", "--no-serve", "--patients", "1")
    assert not User.objects.filter(username="clinician").exists()
