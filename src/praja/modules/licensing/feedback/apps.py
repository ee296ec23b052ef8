from django.apps import AppConfig


class LicensingFeedbackConfig(AppConfig):
    name = "praja.modules.licensing.feedback"
    label = "licensing_feedback"
    verbose_name = "Licensing: satisfaction survey and complaints"

    def ready(self) -> None:
        from praja.core.workflow.registry import register_workflow
        from praja.modules.licensing.feedback.transitions import COMPLAINT_WORKFLOW_DEFINITION

        # Registered here so the status guard is in place whether or not the licensing manifest
        # lists the workflow too (registering the same definition twice is a no-op).
        register_workflow(COMPLAINT_WORKFLOW_DEFINITION)
