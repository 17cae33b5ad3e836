"""`taut fhir-dump DIR`: every resource of every type the FHIR registry serves, for every
patient of every clinic in the database, as one NDJSON file per type (``DIR/Patient.ndjson``
…). `.ci/run` dumps a freshly seeded demo database and validates the files with
``scripts/fhir-validate`` (decision 0046). It seeds nothing and is not audited: it is a
developer's check on a demo or test database, not a way to share records (the API and
its bulk export are)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from taut.accounts.models import Clinic
from taut.fhir.registry import KINDS
from taut.fhir.scope import Scope


class Command(BaseCommand):
    help = "Write every FHIR resource of every clinic to DIR/<Type>.ndjson (for validation)."

    def add_arguments(self, parser):
        parser.add_argument("dir", help="Directory to write to (made if missing)")
        parser.add_argument(
            "--base",
            default="",
            help="The FHIR base URL the resources' fullUrls would use "
            "(default: PORTAL_BASE_URL + /fhir)",
        )

    def handle(self, *args, **options):
        out = Path(options["dir"])
        out.mkdir(parents=True, exist_ok=True)
        base = options["base"] or f"{settings.PORTAL_BASE_URL.rstrip('/')}/fhir"
        clinics = list(Clinic.objects.order_by("pk"))
        counts = dict.fromkeys(KINDS, 0)
        for name, kind in KINDS.items():
            with (out / f"{name}.ndjson").open("w", encoding="utf-8") as f:
                for clinic in clinics:
                    for _, resource in kind.load(Scope(clinic=clinic, base=base)):
                        f.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")))
                        f.write("\n")
                        counts[name] += 1
        for name, n in counts.items():
            self.stdout.write(f"  {name:<26} {n:>7}")
        self.stdout.write(
            f"{sum(counts.values())} resources of {len(clinics)} clinics written to {out}/"
        )
