"""One error envelope for every API error: `{"error": {"code", "message", "fields"}}`.

`code` is a stable machine name (`not_found`, `permission_denied`, `invalid`, a rule's own code such
as `nik_length`); `message` is a sentence in the user's language (Indonesian unless the request asks
for English); `fields` maps each field (dotted for nested input) to its messages, `{}` when the
error is about the whole request.

Every 404 carries the same message whatever raised it, so a missing object and another tenant's
object answer byte for byte alike.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEY = "non_field_errors"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def not_found_message() -> str:
    return str(exceptions.NotFound.default_detail)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"roles": {"0": ["…"]}} -> {"roles.0": ["…"]}; lists of strings stay lists."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or NON_FIELD_KEY: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD_KEY: [str(detail)]}


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        codes = list(codes.values())
    if isinstance(codes, list):
        for item in codes:
            if (found := _first_code(item)) is not None:
                return found
    return None


def _from_django_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """Actions raise Django's ValidationError; the API answers it as a 400 with field errors."""
    if hasattr(exc, "error_dict"):
        detail = {
            field: [
                exceptions.ErrorDetail(str(message), code=error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
        detail = {(NON_FIELD_KEY if key == "__all__" else key): value for key, value in detail.items()}
    else:
        detail = {
            NON_FIELD_KEY: [
                exceptions.ErrorDetail(str(message), code=error.code or "invalid")
                for error in exc.error_list
                for message in error.messages
            ]
        }
    return exceptions.ValidationError(detail)


def _validation_envelope(exc: exceptions.ValidationError) -> dict[str, Any]:
    fields = _flatten(exc.detail)
    code = _first_code(exc.get_codes()) or "invalid"
    if set(fields) == {NON_FIELD_KEY}:
        # An error about the whole request: its own sentence is the clearest message.
        return error_body(code, fields[NON_FIELD_KEY][0], fields)
    return error_body(code, _("Periksa kembali isian berikut."), fields)


def _message_for(exc: exceptions.APIException, request) -> tuple[str, str]:
    code = getattr(exc.detail, "code", None) or exc.default_code
    if isinstance(exc, exceptions.NotFound) and code == "not_found":
        return code, not_found_message()
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(request, "method", "")
        return code, _("Metode %(method)s tidak diizinkan untuk alamat ini.") % {"method": method}
    if isinstance(exc, exceptions.Throttled):
        if exc.wait is not None:
            seconds = max(1, int(exc.wait + 0.999))
            return code, _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.") % {
                "seconds": seconds
            }
        return code, _("Terlalu banyak permintaan. Coba lagi nanti.")
    if (
        isinstance(exc, exceptions.AuthenticationFailed)
        and request is not None
        and request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("token")
    ):
        return code, _("Token API tidak berlaku (salah, sudah diganti, atau akunnya nonaktif).")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return code, _("Format isi permintaan tidak didukung; kirim JSON.")
    if isinstance(exc, exceptions.ParseError):
        return code, _("Isi permintaan bukan JSON yang sah.")
    if isinstance(exc, exceptions.NotAcceptable):
        return code, _("Format jawaban yang diminta tidak tersedia; gunakan JSON.")
    detail = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", next(iter(detail.values()), ""))
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return code, str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: wrap every error in the envelope."""
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        # Never echo Http404's text: it may name the model or the id.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied) and getattr(exc, "code", None):
        exc = exceptions.PermissionDenied(str(exc), code=exc.code)
    response = drf_exception_handler(exc, context)
    if response is None:
        status_code = getattr(exc, "http_status", None)
        if isinstance(status_code, int) and isinstance(getattr(exc, "code", None), str):
            # Domain refusals (e.g. workflow errors) carry their own code and status.
            return Response(error_body(exc.code, str(exc)), status=status_code)
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_envelope(exc)
    elif isinstance(exc, exceptions.APIException):
        code, message = _message_for(exc, request)
        response.data = error_body(code, message)
    else:  # Django's PermissionDenied, already turned into a 403 by DRF
        response.data = error_body(
            "permission_denied", str(exc) or str(exceptions.PermissionDenied.default_detail)
        )
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """The envelope 404 for API paths that no route matches (for an API-aware handler404)."""
    return JsonResponse(error_body("not_found", not_found_message()), status=status.HTTP_404_NOT_FOUND)


def is_api_path(path: str) -> bool:
    return path.startswith("/api/") or ("/api/v1/" in path and path.startswith("/t/"))
