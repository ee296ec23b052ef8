from __future__ import annotations

from praja.core.reference.models import Area, AreaLevel


def get_area(code: str) -> Area | None:
    return Area.objects.filter(code=code).first()


def area_exists(code: str, level: str | None = None) -> bool:
    query = Area.objects.filter(code=code)
    if level:
        query = query.filter(level=level)
    return query.exists()


def list_child_areas(parent_code: str):
    return Area.objects.filter(parent_code=parent_code).order_by("code")


def list_districts_of(regency_code: str):
    return Area.objects.filter(parent_code=regency_code, level=AreaLevel.DISTRICT).order_by("code")
