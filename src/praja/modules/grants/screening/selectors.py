"""Reads of grants screening: flags of a subject, the registry, imports, the price list."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import VIEW_ALL_CASES
from praja.modules.grants.screening.models import (
    Beneficiary,
    Flag,
    FlagStatus,
    ImportBatch,
    StandardUnitPrice,
)
from praja.modules.grants.screening.permissions import (
    CLEAR_FLAGS,
    MANAGE_PRICES,
    MANAGE_REGISTRY,
    RUN_SCREENING,
    VIEW_FLAGS,
    VIEW_REGISTRY,
)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_view_registry(user) -> bool:
    return _authenticated(user) and (
        has_permission(user, VIEW_REGISTRY) or has_permission(user, VIEW_ALL_CASES)
    )


def can_manage_registry(user) -> bool:
    return _authenticated(user) and has_permission(user, MANAGE_REGISTRY)


def can_view_flags(user) -> bool:
    return _authenticated(user) and (has_permission(user, VIEW_FLAGS) or has_permission(user, VIEW_ALL_CASES))


def can_clear_flags(user) -> bool:
    return _authenticated(user) and has_permission(user, CLEAR_FLAGS)


def can_run_screening(user) -> bool:
    return _authenticated(user) and has_permission(user, RUN_SCREENING)


def can_manage_prices(user) -> bool:
    return _authenticated(user) and has_permission(user, MANAGE_PRICES)


# --- Flags ------------------------------------------------------------------------------------------------


def flags_for(subject) -> QuerySet[Flag]:
    """Every flag (open and cleared) of a model instance in the active tenant."""
    return Flag.objects.filter(subject_type=subject._meta.label_lower, subject_id=subject.pk).order_by(
        "status", "-created_at", "-pk"
    )


def open_flags_for(subject) -> QuerySet[Flag]:
    return flags_for(subject).filter(status=FlagStatus.OPEN)


def has_open_flags(subject, kinds=None) -> bool:
    rows = open_flags_for(subject)
    if kinds:
        rows = rows.filter(kind__in=list(kinds))
    return rows.exists()


def list_flags(user, *, kind: str = "", status: str = "", subject_type: str = "") -> QuerySet[Flag]:
    if not can_view_flags(user):
        return Flag.objects.none()
    rows = Flag.objects.select_related("cleared_by")
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if subject_type:
        rows = rows.filter(subject_type=subject_type)
    return rows.order_by("status", "-created_at", "-pk")


def access_flag_by_id(user, flag_id: int) -> Flag:
    """A flag of the active tenant for someone who may see flags; missing and forbidden alike raise."""
    if not can_view_flags(user):
        raise Flag.DoesNotExist
    flag = Flag.objects.select_related("cleared_by", "raised_by").filter(pk=flag_id).first()
    if flag is None:
        raise Flag.DoesNotExist
    return flag


# --- Registry -------------------------------------------------------------------------------------------


def list_beneficiaries(
    user, *, query: str = "", area_code: str = "", data_source: str = ""
) -> QuerySet[Beneficiary]:
    if not can_view_registry(user):
        return Beneficiary.objects.none()
    rows = Beneficiary.objects.select_related("area")
    query = (query or "").strip()
    if query:
        if query.isdigit():
            rows = rows.filter(Q(nik__startswith=query) | Q(kk_number__startswith=query))
        else:
            rows = rows.filter(full_name__icontains=query)
    if area_code:
        rows = rows.filter(area_id=area_code)
    if data_source:
        rows = rows.filter(data_source=data_source)
    return rows.order_by("full_name", "pk")


def access_beneficiary_by_id(user, beneficiary_id: int) -> Beneficiary:
    """The citizen's own record, or any record for registry viewers; missing and forbidden alike raise."""
    if not _authenticated(user):
        raise Beneficiary.DoesNotExist
    beneficiary = Beneficiary.objects.select_related("area", "import_batch").filter(pk=beneficiary_id).first()
    if beneficiary is None:
        raise Beneficiary.DoesNotExist
    if beneficiary.citizen_id == user.pk or can_view_registry(user):
        return beneficiary
    raise Beneficiary.DoesNotExist


def get_beneficiary_of_citizen(user) -> Beneficiary | None:
    if not _authenticated(user):
        return None
    return Beneficiary.objects.filter(citizen=user).first()


def can_see_import_batches(user) -> bool:
    """Registry officers, and those who read the registry (verifiers, the inspectorate/KPK)."""
    return can_manage_registry(user) or can_view_registry(user)


def list_import_batches(user) -> QuerySet[ImportBatch]:
    if not can_see_import_batches(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("uploaded_by", "stored_file").order_by("-created_at", "-pk")


def access_import_batch_by_id(user, batch_id: int) -> ImportBatch:
    batch = list_import_batches(user).filter(pk=batch_id).first()
    if batch is None:
        raise ImportBatch.DoesNotExist
    return batch


def flags_of_import_batch(batch: ImportBatch) -> QuerySet[Flag]:
    """Flags whose subject is a beneficiary taken in by `batch` (what its screening found)."""
    return Flag.objects.filter(
        subject_type=Beneficiary._meta.label_lower,
        subject_id__in=Beneficiary.objects.filter(import_batch=batch).values("pk"),
    ).order_by("status", "-created_at", "-pk")


# --- Prices -----------------------------------------------------------------------------------------------


def list_standard_prices(*, year: int | None = None) -> QuerySet[StandardUnitPrice]:
    rows = StandardUnitPrice.objects.all()
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("year", "code")


def standard_price_for(
    *, year: int, code: str = "", description: str = "", unit: str = ""
) -> StandardUnitPrice | None:
    """The SSH line for a RAB line: by code when given, else by description and unit (case-insensitive)."""
    rows = StandardUnitPrice.objects.filter(year=year)
    if code:
        return rows.filter(code=code).first()
    if description:
        rows = rows.filter(description__iexact=description.strip())
        if unit:
            rows = rows.filter(unit__iexact=unit.strip())
        return rows.order_by("price").first()
    return None
