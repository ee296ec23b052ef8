"""The licensing module's manifest: roles, the application workflow, routes, demo and adoption."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.modules.registry import Manifest
from praja.modules.licensing.feedback.constants import FEEDBACK_DEFAULT_PARAMETERS
from praja.modules.licensing.permissions import ROLES
from praja.modules.licensing.transitions import APPLICATION_WORKFLOW

MODULE_NAME = "licensing"


def adopt(source, target, *, actor=None):
    """Copy `source`'s permit catalogue into `target` (the active tenant); see catalogue.adopt_catalogue."""
    from praja.modules.licensing.catalogue import adopt_catalogue

    return adopt_catalogue(source=source, target=target, actor=actor)


def load_demo(tenant):
    from praja.modules.licensing.demo import load_demo as load

    return load(tenant)


def work_queue(user):
    """Applications the official can act on, then complaints to verify, assign or answer."""
    from praja.modules.licensing.feedback.selectors import complaint_work_queue_items
    from praja.modules.licensing.selectors import work_queue_items

    return [*work_queue_items(user), *complaint_work_queue_items(user)]


MANIFEST = Manifest(
    name=MODULE_NAME,
    # Lazy, so each request shows them in its own language.
    label=_("Perizinan"),
    description=_("Perizinan online: permohonan, verifikasi, tim teknis, penandatanganan dan verifikasi QR."),
    urls="praja.modules.licensing.urls",
    api_urls="praja.modules.licensing.api_urls",
    roles=ROLES,
    workflows=(APPLICATION_WORKFLOW,),
    default_parameters={
        # Prefix of tracking numbers ("BDG-2026-000123"); empty uses the tenant's slug initials.
        "tracking_prefix": "",
        # Working days an SKRD stays payable before the application expires.
        "payment_due_working_days": 7,
        # The HMAC key agreed with the payment gateway for its callbacks (payments/gateway.py);
        # empty derives one from SECRET_KEY and the tenant's code. Never shown, adopted or audited.
        "payment_callback_secret": "",
        # Complaint deadlines per band and the public submission rate (feedback/constants.py).
        **FEEDBACK_DEFAULT_PARAMETERS,
    },
    adopt=adopt,
    load_demo=load_demo,
    work_queue=work_queue,
)
