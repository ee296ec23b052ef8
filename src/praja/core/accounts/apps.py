from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "praja.core.accounts"
    label = "accounts"
    verbose_name = "People"
