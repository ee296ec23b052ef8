from django.apps import AppConfig


class LicensingPaymentsConfig(AppConfig):
    name = "praja.modules.licensing.payments"
    label = "licensing_payments"
    verbose_name = "Licensing: retribusi billing and payments"

    def ready(self) -> None:
        from praja.modules.licensing.payments.tasks import register_jobs

        register_jobs()
