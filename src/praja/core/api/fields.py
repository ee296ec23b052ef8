"""Serializer fields that respect the tenant context."""

from __future__ import annotations

from rest_framework import serializers


class TenantPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a tenant-owned row; another tenant's id reads as "does not exist".

    `TenantPrimaryKeyRelatedField(OrgUnit)` looks rows up through the model's tenant-filtered
    manager at validation time (the tenant is unknown when the serializer class is built).
    """

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.all_tenants.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.all()
