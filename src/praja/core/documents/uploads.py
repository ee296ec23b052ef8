"""Refuse oversize uploads while they stream in, before Django buffers them whole.

Django spools a file part to memory or a temporary file and only then hands it to the view; a
10 GB body would be written to disk before any check. `SizeLimitUploadHandler` sits first in the
request's handler list, counts the bytes of each file part, and skips a part once it passes the
limit (its partial temporary file is closed and removed). The other form fields, including the
CSRF token, still arrive, so the view can answer with a clear message instead of a 400 or 500.

Upload handlers must be set before anything reads `request.POST`, and the CSRF middleware does
read it: views that take uploads are wrapped with `limit_upload_size`, which is `csrf_exempt`
outside and `csrf_protect` inside (the pattern Django's documentation gives for this case).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from praja.core.documents.rules import oversize_message

# Multipart overhead allowed on top of the file itself (boundaries, headers, small fields).
REQUEST_OVERHEAD_BYTES = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Skip any file part longer than `max_bytes`; note its name in `request.oversize_uploads`."""

    def __init__(self, request: HttpRequest, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        request.oversize_uploads = []

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.oversize_uploads.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def is_declared_oversize(request: HttpRequest, max_bytes: int) -> bool:
    """True when the request says up front that it is larger than any acceptable upload."""
    length = declared_length(request)
    return length is not None and length > max_bytes + REQUEST_OVERHEAD_BYTES


def limit_upload_size(
    refuse_declared_oversize: Callable[..., HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Install SizeLimitUploadHandler before the body is parsed, then apply CSRF protection.

    A POST whose Content-Length already says it is too large is answered by
    `refuse_declared_oversize(request, *args, **kwargs)` without reading the body at all; that
    answer only explains the refusal and changes nothing, so it needs no CSRF token.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        @csrf_exempt
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            max_bytes = settings.PRAJA_UPLOAD_MAX_BYTES
            request.upload_max_bytes = max_bytes
            if request.method == "POST" and is_declared_oversize(request, max_bytes):
                return refuse_declared_oversize(request, *args, **kwargs)
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request, max_bytes))
            return protected(request, *args, **kwargs)

        return wrapped

    return decorator


def oversize_form(form_class, request: HttpRequest, names: list[str] | None = None):
    """A blank `form_class` whose "file" carries the size refusal (the body was never parsed, or
    the oversize files were skipped while it streamed in)."""
    form = form_class()
    form.cleaned_data = {}  # add_error() expects it; an unbound form has none
    for name in names or [""]:
        form.add_error("file", oversize_message(file_name=name, max_bytes=request.upload_max_bytes))
    return form
