"""The clinic analytics report, rendered once by the worker and served stored."""

from django.conf import settings
from django.db import models

from taut.accounts.models import Clinic


class AnalyticsReport(models.Model):
    """The PDF of the analytics page for one clinic, period and set of filters, rendered by
    the worker (``report.render_report``) and served from here, as the public handout is
    (docs/decisions/0024-public-page.md, following 0019): a download never renders.

    ``fingerprint`` digests the filters, the day it counts to and the facts the figures
    are made of (``report.fingerprint``): a report made before a session was signed or a
    check-in answered is never served. ``params`` are the filters, for the worker. The row
    exists from the moment the render is asked for; ``content`` is empty until then.
    Aggregates and, for staff, the latest override reasons: no patient names.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    content = models.BinaryField(null=True, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "fingerprint"], name="analytics_report_once")
        ]

    def __str__(self):
        return f"analytics report {self.fingerprint[:8]}"
