"""Roles and permissions of grants screening (registered in apps.py; G1's manifest may list them too)."""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import VIEW_ALL_CASES, WORK_QUEUE, Role

MANAGE_REGISTRY = "grants_screening.manage_registry"
VIEW_REGISTRY = "grants_screening.view_registry"
VIEW_FLAGS = "grants_screening.view_flags"
RUN_SCREENING = "grants_screening.run_screening"
CLEAR_FLAGS = "grants_screening.clear_flags"
MANAGE_PRICES = "grants_screening.manage_prices"

REGISTRY_OFFICER = Role(
    "grants_registry_officer",
    _("Petugas data penerima bansos (Dinas Sosial)"),
    frozenset({WORK_QUEUE, MANAGE_REGISTRY, VIEW_REGISTRY, VIEW_FLAGS, RUN_SCREENING}),
)
SCREENING_VERIFIER = Role(
    "grants_screening_verifier",
    _("Pejabat verifikasi temuan hibah/bansos"),
    frozenset({WORK_QUEUE, VIEW_REGISTRY, VIEW_FLAGS, RUN_SCREENING, CLEAR_FLAGS}),
    requires_second_factor=True,
)
PRICE_ADMIN = Role(
    "grants_price_admin",
    _("Pengelola standar satuan harga hibah"),
    frozenset({MANAGE_PRICES, VIEW_FLAGS}),
)

ROLES = (REGISTRY_OFFICER, SCREENING_VERIFIER, PRICE_ADMIN)

# Read-only oversight (Inspektorat/KPK hold core.view_all_cases) sees registry and flags.
OVERSIGHT = VIEW_ALL_CASES
