"""Writers of the API package: API tokens for machine clients."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from praja.core.audit.actions import record
from praja.core.permissions.checks import require
from praja.core.permissions.roles import MANAGE_PEOPLE


def issue_api_token(*, actor, user) -> Token:
    """Give `user` a new API token, replacing any earlier one (which stops working at once).

    With an `actor`, the actor must manage people in the active tenant and the event goes on that
    tenant's chain; `actor=None` is the platform operator at the command line (platform chain).
    The key itself is never recorded.
    """
    with transaction.atomic():
        if actor is not None:
            require(actor, MANAGE_PEOPLE)
        replaced = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        record(
            "api.token_issued",
            actor=actor,
            obj=user,
            platform=actor is None,
            data={"user_id": user.pk, "email": user.email, "replaced": replaced},
        )
    return token
