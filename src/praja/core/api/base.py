"""Base classes of every tenant endpoint under `/t/<slug>/api/v1/` (or `/api/v1/` on a tenant host).

Subclass `TenantAPIView` or `TenantGenericAPIView` (or mix `TenantAPIMixin` into a viewset). They
refuse a request that has no tenant, authenticate by token first (so an anonymous caller gets 401
with `WWW-Authenticate: Token`) and then by session, and throttle anonymous callers per IP. Public
endpoints set `permission_classes = [AllowAny]`; protected ones use praja.core.api.permissions.
"""

from __future__ import annotations

from rest_framework import generics, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from praja.core.api.authentication import TokenAuthentication
from praja.core.api.throttling import AnonRateThrottle, UserRateThrottle

API_POLICY_HEADER = "Content-Security-Policy"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


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

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # An API answer is JSON, never a page: it may load and embed nothing. This policy says so
        # more strictly than the pages' one (django-csp leaves a header that is already set).
        response[API_POLICY_HEADER] = API_POLICY
        return response


class TenantAPIView(TenantAPIMixin, APIView):
    pass


class TenantGenericAPIView(TenantAPIMixin, generics.GenericAPIView):
    pass


class TenantGenericViewSet(TenantAPIMixin, viewsets.GenericViewSet):
    # Ids are integers: the router's path converter refuses anything else before the view runs.
    lookup_value_converter = "int"
