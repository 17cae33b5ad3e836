"""Events are written unchained and linked later, once (decision 0016).

``seq``, ``prev_hash`` and ``hash`` may be empty until the linker sets them; a new ``seal``
(set on insert) protects an event's fields until then, and existing events get theirs here.
The append-only triggers of 0002 are replaced by ones that allow exactly one UPDATE per row,
the link: ``seq`` from empty to a number and both hashes from empty to a value, with every
other column unchanged. Any other UPDATE, every DELETE (and TRUNCATE on PostgreSQL) is still
refused. The SQLite trigger names its columns: a migration that adds a column to the table
must add it to the trigger too (PostgreSQL's compares whole rows). Reversing needs every
event linked first (``taut audit-link``).
"""

from django.db import migrations, models

from taut.audit import chain

# Every column but the three the link sets (SQLite compares them one by one).
KEPT = (
    "id", "public_id", "at", "clinic_id", "actor_id", "actor_username", "actor_role", "action",
    "object_type", "object_id", "patient_id", "client_ip", "details", "seal",
)  # fmt: skip
REFUSAL = "audit events are append-only: only linking may update a row, once"
SQLITE_LINK = (
    "OLD.seq IS NULL AND NEW.seq IS NOT NULL AND OLD.prev_hash = '' AND NEW.prev_hash <> '' "
    "AND OLD.hash = '' AND NEW.hash <> '' AND "
    + " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT)
)
SQLITE = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    f"WHEN NOT ({SQLITE_LINK}) BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END;",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
LINK_ONLY = "to_jsonb(%s) - 'seq' - 'prev_hash' - 'hash'"
POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE OR REPLACE FUNCTION audit_event_link_once() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL "
    "AND OLD.prev_hash = '' AND NEW.prev_hash <> '' AND OLD.hash = '' AND NEW.hash <> '' "
    f"AND {LINK_ONLY % 'NEW'} = {LINK_ONLY % 'OLD'} THEN RETURN NEW; END IF; "
    f"RAISE EXCEPTION '{REFUSAL}'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_link_once();",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_link_once();",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]
# 0002's triggers, to put back when this migration is reversed.
OLD_SQLITE = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    SQLITE[1],
]
OLD_POSTGRES = [
    POSTGRES[0],
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();",
    POSTGRES[3],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def seal_existing(apps, schema_editor):
    """Give every event written before this migration its seal (they are all linked)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = 0
    while batch := list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:2000]):
        for event in batch:
            event.seal = chain.seal(chain.row_values(event))
        AuditEvent.objects.bulk_update(batch, ["seal"])
        last = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
            _run({"sqlite": OLD_SQLITE, "postgresql": OLD_POSTGRES}),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seal",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="clinic_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["clinic_id", "id"], name="audit_event_clinic_id_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq", None)), fields=["id"], name="audit_event_unlinked_idx"
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
