"""`{% account_nav_links as links %}`: the main navigation, skipping pages not installed yet.

Other packages own some of these pages; a name that does not resolve is left out, so a page never
breaks because a link's target is missing.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.urls import tenant_reverse

register = template.Library()

# (URL name, label, shown to: "user" (logged in) or "anonymous"). "Notifikasi" is linked in
# web/_nav.html by the notifications package itself.
NAV_ITEMS = [
    ("my-files", _("Berkas saya"), "user"),
    ("my-data-access", _("Siapa melihat data saya"), "user"),
    ("profile", _("Profil"), "user"),
    ("login", _("Masuk"), "anonymous"),
    ("register", _("Daftar"), "anonymous"),
]


@register.simple_tag(takes_context=True)
def account_nav_links(context) -> list[dict]:
    request = context.get("request")
    tenant = getattr(request, "tenant", None) or context.get("tenant")
    if tenant is None:
        return []
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    links = []
    for name, label, audience in NAV_ITEMS:
        if (audience == "user" and not logged_in) or (audience == "anonymous" and logged_in):
            continue
        try:
            url = tenant_reverse(name, tenant=tenant)
        except NoReverseMatch:
            continue
        links.append(
            {"name": name, "url": url, "label": label, "current": request is not None and request.path == url}
        )
    return links
