"""The checks `transition()` makes, one named helper each; they raise the typed refusals."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import all_roles
from praja.core.workflow.definitions import Transition, Workflow
from praja.core.workflow.errors import (
    CaseMovedOn,
    GuardFailed,
    PermissionDenied,
    SecondFactorRequired,
    SeparationOfDutiesViolation,
    TransitionNotAllowed,
)


def format_moment(tenant, moment) -> str:
    """Return "12 Agustus 2026 pukul 14.05 WIB" in the tenant's timezone."""
    from zoneinfo import ZoneInfo

    local = timezone.localtime(moment, ZoneInfo(tenant.timezone))
    return _("%(date)s pukul %(time)s %(zone)s") % {
        "date": date_format(local, "j F Y"),
        "time": local.strftime("%H.%M"),
        "zone": tenant.timezone_label,
    }


def refuse_if_moved_on(
    workflow: Workflow, locked, *, tenant, expected_status, expected_version, last_event
) -> None:
    current = str(getattr(locked, workflow.status_field))
    moved = expected_status is not None and current != str(expected_status)
    if workflow.version_field and expected_version is not None:
        moved = moved or getattr(locked, workflow.version_field) != expected_version
    if not moved:
        return
    status_label = workflow.state_label(current)
    if last_event is not None:
        message = _(
            "Berkas ini sudah diproses oleh %(name)s (%(status)s) pada %(time)s; tidak ada perubahan."
        ) % {
            "name": last_event.actor_label or _("sistem"),
            "status": status_label,
            "time": format_moment(tenant, last_event.occurred_at),
        }
    else:
        message = _("Berkas ini sudah berubah menjadi %(status)s; tidak ada perubahan.") % {
            "status": status_label
        }
    raise CaseMovedOn(
        message,
        status=current,
        by=getattr(last_event, "actor_id", None),
        at=getattr(last_event, "occurred_at", None),
    )


def refuse_unless_source(workflow: Workflow, item: Transition, current: str) -> None:
    if current in item.sources:
        return
    raise TransitionNotAllowed(
        _(
            'Berkas berstatus %(status)s; "%(action)s" hanya dapat dilakukan pada berkas '
            "berstatus %(sources)s."
        )
        % {
            "status": workflow.state_label(current),
            "action": item.label,
            "sources": ", ".join(workflow.state_label(value) for value in item.sources),
        },
        status=current,
    )


def parties_of(workflow: Workflow, case) -> set[int]:
    ids = set()
    for name in workflow.party_fields:
        value = getattr(case, f"{name}_id", None)
        if value is None:
            value = getattr(getattr(case, name, None), "pk", None)
        if value is not None:
            ids.add(value)
    return ids


def refuse_unless_authorised(workflow: Workflow, item: Transition, case, actor) -> None:
    if item.system:
        # Only the system (actor None) takes a system transition; a person never does, by any path.
        if actor is not None:
            raise PermissionDenied(
                _('"%(action)s" dilakukan otomatis oleh sistem, bukan oleh pengguna.')
                % {"action": item.label}
            )
        return
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(
            _('Masuk terlebih dahulu untuk melakukan "%(action)s".') % {"action": item.label}
        )
    is_party = actor.pk in parties_of(workflow, case)
    if item.actor_is_applicant:
        if not is_party:
            raise PermissionDenied(
                _('Hanya pemohon berkas ini yang dapat melakukan "%(action)s".') % {"action": item.label}
            )
    elif is_party:
        raise SeparationOfDutiesViolation(
            _(
                "Anda adalah pihak dalam berkas ini, sehingga tidak boleh memprosesnya; "
                "berkas ini harus ditangani pejabat lain."
            )
        )
    if item.permission is None:
        return
    org_unit = getattr(case, workflow.org_unit_field) if workflow.org_unit_field else None
    if not has_permission(actor, item.permission, org_unit=org_unit):
        labels = [str(role.label) for role in all_roles() if item.permission in role.permissions]
        if labels:
            message = _(
                'Anda tidak berwenang melakukan "%(action)s" pada berkas ini; tindakan ini hanya untuk '
                "%(roles)s."
            ) % {"action": item.label, "roles": ", ".join(labels)}
        else:
            message = _('Anda tidak berwenang melakukan "%(action)s" pada berkas ini.') % {
                "action": item.label
            }
        raise PermissionDenied(message, permission=item.permission)


def refuse_separation_of_duties(workflow: Workflow, item: Transition, actor, previous_events) -> None:
    """Refuse when the actor took a transition that `separation_of_duties` sets apart from this one."""
    if actor is None:
        return
    for rule in workflow.separation_of_duties:
        if item.name not in rule.then:
            continue
        if any(event.transition == rule.first and event.actor_id == actor.pk for event in previous_events):
            first = workflow.get_transition(rule.first)
            raise SeparationOfDutiesViolation(
                str(rule.message)
                if rule.message
                else _(
                    'Anda sudah melakukan "%(first)s" pada berkas ini; '
                    '"%(then)s" harus dilakukan pejabat lain.'
                )
                % {"first": first.label if first else rule.first, "then": item.label}
            )


def second_factor_verified(actor, *, request=None, otp_verified: bool | None = None) -> bool:
    if otp_verified is not None:
        return otp_verified
    user = getattr(request, "user", None) if request is not None else actor
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def refuse_without_second_factor(item: Transition, verified: bool) -> None:
    if item.requires_second_factor and not verified:
        raise SecondFactorRequired(
            _(
                '"%(action)s" memerlukan verifikasi dua langkah. Masukkan kode dari aplikasi autentikator '
                "Anda, lalu ulangi."
            )
            % {"action": item.label}
        )


def refuse_failed_guards(item: Transition, case, *, actor, data, reason: str) -> None:
    if item.requires_reason and not reason.strip():
        raise GuardFailed(
            _('Isi alasan untuk "%(action)s"; pemohon akan membacanya.') % {"action": item.label},
            field="reason",
        )
    for guard in item.guards:
        message = guard(case, actor=actor, data=data)
        if message:
            raise GuardFailed(str(message), guard=getattr(guard, "__name__", "guard"))
