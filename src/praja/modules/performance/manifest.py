"""The performance module's manifest: roles, workflows, routes, demo data and adoption."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.modules.registry import Manifest
from praja.modules.performance.permissions import ROLES
from praja.modules.performance.transitions import WORKFLOWS

MODULE_NAME = "performance"


def adopt(source, target, *, actor=None):
    """Copy `source`'s approved configuration in force and its catalogue into `target` as a draft."""
    from praja.modules.performance.catalogue import adopt_configuration

    return adopt_configuration(source=source, target=target, actor=actor)


def load_demo(tenant):
    from praja.modules.performance.demo import load_demo as load

    return load(tenant)


def work_queue(user):
    from praja.modules.performance.selectors import work_queue_items

    return work_queue_items(user)


MANIFEST = Manifest(
    name=MODULE_NAME,
    label=str(_("Kinerja Pegawai")),
    description=str(
        _("e-Kinerja: aktivitas harian, validasi atasan, presensi, cuti dan perkiraan TPP pegawai ASN.")
    ),
    urls="praja.modules.performance.urls",
    api_urls="praja.modules.performance.api_urls",
    roles=ROLES,
    workflows=WORKFLOWS,
    default_parameters={},
    adopt=adopt,
    load_demo=load_demo,
    work_queue=work_queue,
)
