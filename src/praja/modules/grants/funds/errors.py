"""The refusal of a money or accountability rule: an Indonesian message naming rule and regulation."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class FundsRuleViolation(ValidationError):
    """A ValidationError with a stable `code` (e.g. "nphd_not_signed") the API returns as is."""

    def __init__(self, message: str, code: str, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field
