"""Workflow step endpoints: one POST that runs one action on one case and answers the case's detail.

Every module exposes its workflow's steps the same way ("submit", "return", "decide" …): fetch the
case the caller may see (missing and forbidden both 404), validate the body with a serializer, call
the action (which checks the permission again, runs the transition and records the audit event),
and answer the fresh detail. A module subclasses `CaseStepView` once and builds each endpoint with
`step_builder`:

    class _ProposalStep(CaseStepView):
        case_kwarg = "proposal_id"
        request_serializer = ReasonSerializer
        detail_serializer = ProposalDetailSerializer
        schema_tags = ["grants"]

        def get_case(self, request, case_id):
            return access_proposal_by_id(request.user, case_id)   # raises Proposal.DoesNotExist

    _step = step_builder(_ProposalStep)
    SubmitView = _step("SubmitView", "Submit a draft.", lambda r, p, d: actions.submit(...))
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from praja.core.api.base import TenantAPIView
from praja.core.api.permissions import HasTenantPermission


class CaseStepView(TenantAPIView):
    """POST <case>/<step>/: run `run(request, case, data)` and answer `detail_serializer(case)`."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    case_kwarg: str = "case_id"  # the URL keyword naming the case
    request_serializer: type[serializers.Serializer] | None = None
    detail_serializer: type[serializers.Serializer] | None = None
    schema_tags: list[str] = []

    def get_case(self, request, case_id: int):
        """The case the caller may act on; raise the model's DoesNotExist when missing or forbidden."""
        raise NotImplementedError

    def run(self, request, case, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, **kwargs):
        try:
            case = self.get_case(request, kwargs[self.case_kwarg])
        except ObjectDoesNotExist:
            raise Http404 from None
        body = self.request_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(request, case, body.validated_data)
        case.refresh_from_db()
        return Response(self.detail_serializer(case).data, status=status.HTTP_200_OK)


def step_builder(base: type[CaseStepView]) -> Callable[..., type[CaseStepView]]:
    """Return `step(name, doc, run, *, permission=None, serializer=base's)` building one endpoint class.

    `run(request, case, data)` calls the action; `permission` (a tenant permission code) replaces
    "signed in" with HasTenantPermission; `serializer` validates the body and documents it in the
    OpenAPI schema, with the base's detail serializer as the answer.
    """

    def step(
        name: str,
        doc: str,
        run: Callable,
        *,
        permission: str | None = None,
        serializer: type[serializers.Serializer] | None = None,
    ) -> type[CaseStepView]:
        request_serializer = serializer or base.request_serializer

        def post(self, request, **kwargs):
            return base.post(self, request, **kwargs)

        attributes = {
            "__doc__": doc,
            "__module__": getattr(run, "__module__", base.__module__),
            "run": lambda self, request, case, data: run(request, case, data),
            "request_serializer": request_serializer,
            "post": extend_schema(
                tags=base.schema_tags, request=request_serializer, responses=base.detail_serializer
            )(post),
        }
        if permission is not None:
            attributes["permission_classes"] = [HasTenantPermission.of(permission)]
        return type(name, (base,), attributes)

    return step
