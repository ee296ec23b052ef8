"""The one way a stored file goes out to a browser or an API client."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

from praja.core.documents.models import StoredFile


def stored_file_response(handle: IO[bytes], stored: StoredFile) -> FileResponse:
    """An attachment with the uploaded name; never sniffed, cached or run as a page."""
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
