"""Base classes of every tenant endpoint under `/t/<slug>/api/v1/` (or `/api/v1/` on a tenant host).

Subclass `TenantAPIView` or `TenantGenericAPIView` (or mix `TenantAPIMixin` into a viewset). They
refuse a request that has no tenant, authenticate by token first (so an anonymous caller gets 401
with `WWW-Authenticate: Token`) and then by session, and throttle anonymous callers per IP. Public
endpoints set `permission_classes = [AllowAny]`; protected ones use praja.core.api.permissions.
"""

from __future__ import annotations

from rest_framework import generics, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from praja.core.api.throttling import AnonRateThrottle, UserRateThrottle


class TenantAPIMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def initial(self, request, *args, **kwargs):
        if getattr(request, "tenant", None) is None:
            raise NotFound()
        super().initial(request, *args, **kwargs)

    @property
    def tenant(self):
        return self.request.tenant


class TenantAPIView(TenantAPIMixin, APIView):
    pass


class TenantGenericAPIView(TenantAPIMixin, generics.GenericAPIView):
    pass


class TenantGenericViewSet(TenantAPIMixin, viewsets.GenericViewSet):
    # Ids are integers: the router's path converter refuses anything else before the view runs.
    lookup_value_converter = "int"
