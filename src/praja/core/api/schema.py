"""OpenAPI post-processing: document the tenant path parameter and the error envelope everywhere."""

from __future__ import annotations

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every API error has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable machine name, e.g. not_found, nik_length."},
                "message": {"type": "string", "description": "A sentence in the user's language."},
                "fields": {
                    "type": "object",
                    "description": "Messages per field (dotted for nested input); empty when none.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

TENANT_SLUG_PARAMETER = {
    "in": "path",
    "name": "tenant_slug",
    "required": True,
    "description": (
        "Slug of the regional government (tenant), e.g. kota-bandung. On a tenant's own host name "
        "the same endpoints are served at /api/v1/... without the /t/{tenant_slug} prefix."
    ),
    "schema": {"type": "string", "pattern": "^[-a-z0-9]+$"},
    "example": "kota-bandung",
}

_ERROR_DESCRIPTIONS = {
    "400": "Invalid input: the fields say what to fix.",
    "401": "Not signed in (send a session cookie or `Authorization: Token <key>`).",
    "403": "Signed in, but not allowed (or the second factor is missing).",
    "404": "Not found. Another tenant's object answers exactly like a missing one.",
    "405": "Method not allowed.",
    "429": "Too many requests; retry after the seconds in the message.",
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_tenant_and_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular POSTPROCESSING_HOOK."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            for index, parameter in enumerate(parameters):
                if parameter.get("in") == "path" and parameter.get("name") == "tenant_slug":
                    parameters[index] = dict(TENANT_SLUG_PARAMETER)
            codes = ["404", "405", "429"]
            if operation.get("security") != [{}] and operation.get("security") is not None:
                codes += ["401", "403"]
            if method in {"post", "put", "patch"}:
                codes.append("400")
            for code in codes:
                operation["responses"].setdefault(code, _error_response(_ERROR_DESCRIPTIONS[code]))
    return result
