from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taut.accounts"
    verbose_name = "Clinics and staff"
