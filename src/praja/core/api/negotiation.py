"""Content negotiation that skips DRF's Accept parsing when there is nothing to choose.

Almost every Praja endpoint has one renderer (JSON) and almost every caller accepts anything (no
Accept header, or `*/*`): DRF would still parse the header and rank media types on each request,
a measurable share of a cheap public look-up. Any other request is negotiated by DRF as before, so
`Accept: text/html` on a JSON-only endpoint still gets 406.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

ANYTHING = ("", "*/*")


class DefaultJsonNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            len(renderers) == 1
            and not format_suffix
            and request.META.get("HTTP_ACCEPT", "").strip() in ANYTHING
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            renderer = renderers[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
