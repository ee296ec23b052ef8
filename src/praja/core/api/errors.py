"""One error envelope for every API error: {"error": {"code", "message", "fields"}}."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = {}
    code = getattr(getattr(exc, "default_code", None), "__str__", lambda: "error")()
    if isinstance(detail, dict) and "detail" not in detail:
        fields = {key: [str(item) for item in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
        message = str(getattr(exc, "default_detail", "Invalid input."))
    elif isinstance(detail, dict):
        message = str(detail["detail"])
    else:
        message = str(detail)
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
