"""`{% web_nav_links as links %}`: the work-queue, tenant-admin and platform links a user may follow."""

from django import template
from django.utils.translation import gettext as _

from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import MANAGE_MODULES, MANAGE_PARAMETERS, MANAGE_PEOPLE, WORK_QUEUE
from praja.core.tenancy.urls import tenant_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def web_nav_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    tenant = getattr(request, "tenant", None)
    path = request.path
    links = []
    if tenant is not None:
        if has_permission(user, WORK_QUEUE):
            links.append((tenant_reverse("work-queue", tenant=tenant), _("Antrean kerja")))
        if any(
            has_permission(user, permission)
            for permission in (MANAGE_PEOPLE, MANAGE_MODULES, MANAGE_PARAMETERS)
        ):
            links.append((tenant_reverse("manage-home", tenant=tenant), _("Pengaturan daerah")))
    elif user.is_platform_operator:
        links.append(("/platform/", _("Operator platform")))
    return [{"url": url, "label": label, "current": path.startswith(url)} for url, label in links]
