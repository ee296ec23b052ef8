"""The grants module's manifest: roles, workflows, routes, demo data and adoption."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.modules.registry import Manifest
from praja.modules.grants.permissions import ROLES
from praja.modules.grants.rules import STAGE_DAYS_DEFAULTS
from praja.modules.grants.transitions import BANSOS_WORKFLOW, ORGANISATION_WORKFLOW, PROPOSAL_WORKFLOW

MODULE_NAME = "grants"


def adopt(source, target, *, actor=None):
    """Copy `source`'s programme configuration and exemptions into `target` (the active tenant)."""
    from praja.modules.grants.catalogue import adopt_configuration

    return adopt_configuration(source=source, target=target, actor=actor)


def load_demo(tenant):
    from praja.modules.grants.demo import load_demo as load

    return load(tenant)


def work_queue(user):
    from praja.modules.grants.selectors import work_queue_items

    return work_queue_items(user)


MANIFEST = Manifest(
    name=MODULE_NAME,
    label=str(_("Hibah dan Bansos")),
    description=str(
        _(
            "Hibah dan bantuan sosial: pendaftaran lembaga, proposal, evaluasi bertahap, DNC PBH, NPHD, "
            "pencairan dan LPJ."
        )
    ),
    urls="praja.modules.grants.urls",
    api_urls="praja.modules.grants.api_urls",
    roles=ROLES,
    workflows=(ORGANISATION_WORKFLOW, PROPOSAL_WORKFLOW, BANSOS_WORKFLOW),
    default_parameters={
        # Prefix of proposal numbers ("HBH-2027-000001"); empty uses "HBH".
        "proposal_prefix": "",
        # Read by grants_screening (G2): flag RAB unit prices this many percent above the SSH price,
        # and near-duplicate persons from this similarity score (0-100).
        "screening_price_threshold_percent": 10,
        "screening_near_duplicate_threshold": 85,
        # Public "Laporkan" reports per client address and grant per hour (funds/public/throttle.py).
        "complaints_per_hour_per_grant": 3,
        # Working days per Sabilulungan stage (SLA clock and timeline), rules.STAGE_DAYS_DEFAULTS.
        **STAGE_DAYS_DEFAULTS,
    },
    adopt=adopt,
    load_demo=load_demo,
    work_queue=work_queue,
)
