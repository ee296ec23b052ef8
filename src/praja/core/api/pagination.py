"""Page-number pagination: `?page=2&page_size=50` (at most 200), with count, next and previous."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound

MAX_PAGE_SIZE = 200


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = _("Jumlah data per halaman (paling banyak 200).")
    page_query_description = _("Nomor halaman, mulai dari 1.")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise NotFound(
                _("Halaman %(page)s tidak ada.")
                % {"page": request.query_params.get(self.page_query_param, "")},
                code="invalid_page",
            ) from exc
