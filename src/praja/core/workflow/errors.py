"""Refusals of `transition()`, each with an Indonesian message the user can act on.

`code` is a stable machine name (for the API error envelope); `http_status` the answer a view or
endpoint should give. Refusals of authority subclass Django's PermissionDenied, so views and DRF
answer 403 with the message without extra code.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class WorkflowError(Exception):
    code = "workflow_error"
    http_status = 409

    def __init__(self, message: str, **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return str(self.message)


class UnknownTransition(WorkflowError):
    """The workflow has no transition of that name (a programming error, not a user's)."""

    code = "unknown_transition"
    http_status = 400


class TransitionNotAllowed(WorkflowError):
    """The case is not in a state the transition starts from."""

    code = "transition_not_allowed"


class CaseMovedOn(TransitionNotAllowed):
    """Someone else changed the case after the actor loaded it; nothing was changed."""

    code = "case_moved_on"


class GuardFailed(WorkflowError):
    """A business condition of the transition is not met (missing document, missing reason...)."""

    code = "guard_failed"
    http_status = 422


class PermissionDenied(WorkflowError, DjangoPermissionDenied):
    """The actor lacks the permission the transition needs."""

    code = "permission_denied"
    http_status = 403


class SecondFactorRequired(PermissionDenied):
    """The transition is an approval and the actor has not confirmed a second factor (TOTP)."""

    code = "second_factor_required"


class SeparationOfDutiesViolation(PermissionDenied):
    """The actor already acted on the case in a conflicting role, or is party to it."""

    code = "separation_of_duties"


class StatusChangeOutsideWorkflow(RuntimeError):
    """Code assigned a workflow status directly instead of calling `transition()` (a bug)."""
