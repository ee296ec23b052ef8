"""Test-only routes: the real URLconf plus tenant pages behind the accounts guards.

Tests select it with `@pytest.mark.urls("tests.browser.protected_urls")`.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from praja.config import urls as project_urls
from praja.core.accounts.decorators import (
    otp_required_for_approvers,
    second_factor_required,
    verified_citizen_required,
)

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>{{ heading }}</h1>{% endblock %}'
)


def _page(heading: str):
    def view(request):
        return HttpResponse(_PAGE.render({"heading": heading}, request))

    return view


guarded_patterns = [
    path("test/apply/", verified_citizen_required(_page("Ajukan layanan")), name="test-apply"),
    path("test/approve/", second_factor_required(_page("Persetujuan")), name="test-approve"),
    path("test/officials/", otp_required_for_approvers(_page("Ruang pegawai")), name="test-officials"),
]

urlpatterns = [
    path("t/<slug:tenant_slug>/", include(guarded_patterns)),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
