"""Signing staff in: Django's model backend, reading the member's clinic with them."""

from django.contrib.auth.backends import ModelBackend

from taut.accounts.models import User


class StaffBackend(ModelBackend):
    """Every staff page reads the signed-in member's clinic (its clock and time zone, the
    clinic scope of every list), so the member is read with their clinic: one query on
    each request instead of two."""

    def get_user(self, user_id):
        user = User.objects.select_related("clinic").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
