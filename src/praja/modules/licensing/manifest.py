"""The licensing module's manifest: roles, the application workflow, routes, demo and adoption."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.modules.registry import Manifest
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
    from praja.modules.licensing.selectors import work_queue_items

    return work_queue_items(user)


MANIFEST = Manifest(
    name=MODULE_NAME,
    label=str(_("Perizinan")),
    description=str(
        _("Perizinan online: permohonan, verifikasi, tim teknis, penandatanganan dan verifikasi QR.")
    ),
    urls="praja.modules.licensing.urls",
    api_urls="praja.modules.licensing.api_urls",
    roles=ROLES,
    workflows=(APPLICATION_WORKFLOW,),
    default_parameters={
        # Prefix of tracking numbers ("BDG-2026-000123"); empty uses the tenant's slug initials.
        "tracking_prefix": "",
        # Working days an SKRD stays payable before the application expires.
        "payment_due_working_days": 7,
    },
    adopt=adopt,
    load_demo=load_demo,
    work_queue=work_queue,
)
