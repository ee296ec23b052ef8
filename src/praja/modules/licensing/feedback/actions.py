"""The writers of the feedback app: survey responses, IKM reports and complaints.

Every function takes keyword arguments, checks who may act inside, writes in one transaction and
records the audit event there. Anonymous public submissions (kiosk survey, public complaint) pass
`actor=None` and a `client_key` (the caller's address) for the rate limit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.permissions.checks import has_permission, require
from praja.core.permissions.roles import WORK_QUEUE
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.modules.licensing.feedback import ratelimit, rules
from praja.modules.licensing.feedback.constants import (
    IKM_ELEMENT_CODES,
    AgeBand,
    ComplaintBand,
    ComplaintChannel,
    ComplaintStatus,
    Education,
    Occupation,
    Sex,
    SurveyChannel,
)
from praja.modules.licensing.feedback.models import (
    Complaint,
    ComplaintSequence,
    IkmReport,
    SurveyAnswer,
    SurveyResponse,
)
from praja.modules.licensing.feedback.selectors import access_digest, get_feedback_parameters
from praja.modules.licensing.permissions import VIEW_PERFORMANCE


class SurveyAlreadyFilled(ValidationError):
    """The applicant already answered the survey for this application."""


# Survey ----------------------------------------------------------------------------------------


def _clean_demographics(demographics: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    cleaned = {}
    for name, choices, message in (
        ("age_band", AgeBand, _("Pilih kelompok umur.")),
        ("sex", Sex, _("Pilih jenis kelamin.")),
        ("education", Education, _("Pilih pendidikan terakhir.")),
        ("occupation", Occupation, _("Pilih pekerjaan.")),
    ):
        value = str(demographics.get(name) or "")
        if value not in choices.values:
            errors[name] = message
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_answers(answers: Mapping[str, object]) -> dict[str, int]:
    errors = rules.validate_scores(answers)
    if errors:
        raise ValidationError(errors)
    return {code: int(answers[code]) for code in IKM_ELEMENT_CODES}  # type: ignore[call-overload]


def _write_response(*, scores: dict[str, int], **fields) -> SurveyResponse:
    tenant = require_current_tenant()
    response = SurveyResponse.objects.create(tenant=tenant, **fields)
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(tenant=tenant, response=response, element=code, score=score)
            for code, score in scores.items()
        ]
    )
    return response


def _already_filled(application) -> SurveyAlreadyFilled:
    existing = SurveyResponse.objects.filter(application=application).first()
    when = timezone.localtime(existing.submitted_at).strftime("%d-%m-%Y") if existing else ""
    return SurveyAlreadyFilled(
        _("Survei kepuasan untuk permohonan %(number)s sudah diisi pada %(date)s; terima kasih.")
        % {"number": application.tracking_number, "date": when},
        code="already_filled",
    )


def submit_survey_response(
    *,
    actor,
    application,
    answers: Mapping[str, object],
    demographics: Mapping[str, str],
    suggestion: str = "",
) -> SurveyResponse:
    """Record the applicant's answers for their issued application: once per application."""
    require_current_tenant()
    if not getattr(actor, "is_authenticated", False) or application.applicant_id != actor.pk:
        raise PermissionDenied(_("Hanya pemohon berkas ini yang dapat mengisi survei kepuasannya."))
    if application.issued_at is None:
        raise ValidationError(_("Survei kepuasan dapat diisi setelah izin terbit."), code="not_issued")
    scores = _clean_answers(answers)
    cleaned = _clean_demographics(demographics)
    if SurveyResponse.objects.filter(application=application).exists():
        raise _already_filled(application)
    try:
        with transaction.atomic():
            response = _write_response(
                scores=scores,
                channel=SurveyChannel.ONLINE,
                application=application,
                respondent=actor,
                permit_type=application.permit_type,
                org_unit=application.permit_type.responsible_org_unit,
                suggestion=suggestion.strip(),
                **cleaned,
            )
            record(
                "licensing.survey_submitted",
                actor=actor,
                obj=response,
                data={"channel": SurveyChannel.ONLINE, "application_id": application.pk, "scores": scores},
            )
    except IntegrityError:
        # A double-clicked submit: the unique constraint let exactly one response in.
        raise _already_filled(application) from None
    return response


def submit_kiosk_survey(
    *,
    actor=None,
    permit_type=None,
    answers: Mapping[str, object],
    demographics: Mapping[str, str],
    suggestion: str = "",
    client_key: str,
) -> SurveyResponse:
    """Record an anonymous walk-in respondent's answers (no application), rate-limited per address."""
    tenant = require_current_tenant()
    scores = _clean_answers(answers)
    cleaned = _clean_demographics(demographics)
    ratelimit.hit(
        tenant=tenant,
        scope="kiosk",
        key=client_key,
        limit=int(get_feedback_parameters(tenant)["public_submissions_per_hour"]),
    )
    with transaction.atomic():
        response = _write_response(
            scores=scores,
            channel=SurveyChannel.KIOSK,
            permit_type=permit_type,
            org_unit=permit_type.responsible_org_unit if permit_type is not None else None,
            suggestion=suggestion.strip(),
            **cleaned,
        )
        record(
            "licensing.survey_submitted",
            actor=actor,
            obj=response,
            data={
                "channel": SurveyChannel.KIOSK,
                "permit_type_id": getattr(permit_type, "pk", None),
                "scores": scores,
            },
        )
    return response


def generate_ikm_report(*, actor, year: int) -> IkmReport:
    """Render, sign and store the yearly IKM report (per element, permit type, office, demographics)."""
    from praja.core.documents.actions import render_official_pdf
    from praja.modules.licensing.feedback import selectors

    tenant = require_current_tenant()
    require(actor, VIEW_PERFORMANCE)
    period = rules.year_period(year)
    overall = selectors.ikm_for_tenant(period)
    context = {
        "year": year,
        "period": period,
        "overall": overall,
        "by_permit_type": selectors.list_ikm_by_permit_type(period),
        "by_org_unit": selectors.list_ikm_by_org_unit(period),
        "demographics": selectors.list_demographics(period),
        "element_labels": _element_labels(),
        "regulation": "PermenPANRB 14/2017",
    }
    document = render_official_pdf(
        tenant=tenant,
        template_name="licensing_feedback/pdf/ikm_report.html",
        context=context,
        title=_("Laporan Survei Kepuasan Masyarakat Tahun %(year)s") % {"year": year},
        document_type="licensing.ikm_report",
        actor=actor,
        required_permission=None,  # checked above: licensing.view_performance
    )
    with transaction.atomic():
        report = IkmReport.objects.create(
            tenant=tenant,
            year=year,
            respondents=overall.respondents,
            ikm_exact=overall.exact,
            ikm_official=overall.official,
            grade=overall.grade,
            document=document,
            created_by=actor,
        )
        record(
            "licensing.ikm_report_issued",
            actor=actor,
            obj=report,
            data={
                "year": year,
                "respondents": overall.respondents,
                "ikm_exact": str(overall.exact) if overall.exact is not None else None,
                "ikm_official": str(overall.official) if overall.official is not None else None,
                "grade": overall.grade,
                "document_id": document.pk,
            },
        )
    return report


def _element_labels() -> dict[str, str]:
    from praja.modules.licensing.feedback.constants import IkmElement

    return {value: str(label) for value, label in IkmElement.choices}


# Complaints ------------------------------------------------------------------------------------


def _next_complaint_number(tenant, year: int) -> str:
    ComplaintSequence.objects.get_or_create(tenant=tenant, year=year)
    sequence = ComplaintSequence.objects.select_for_update().get(tenant=tenant, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ADU-{year}-{sequence.last:06d}"


def _clean_complaint(
    *, actor, subject, description, application_number, contact_name, contact_email, contact_phone
) -> tuple[dict, object]:
    errors: dict[str, str] = {}
    subject, description = subject.strip(), description.strip()
    if len(subject) < 5:
        errors["subject"] = _("Tulis pokok pengaduan (paling sedikit 5 huruf).")
    if len(description) < 20:
        errors["description"] = _(
            "Uraikan pengaduan Anda: apa yang terjadi, kapan dan di mana (paling sedikit 20 huruf)."
        )
    is_anonymous = not getattr(actor, "is_authenticated", False)
    contact_email, contact_phone = contact_email.strip(), contact_phone.strip()
    if is_anonymous:
        if not contact_name.strip():
            errors["contact_name"] = _("Tulis nama Anda agar petugas dapat menghubungi Anda.")
        if not (contact_email or contact_phone):
            errors["contact_email"] = _(
                "Isi email atau nomor telepon agar jawaban dapat disampaikan kepada Anda."
            )
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = _("Alamat email tidak valid.")
    if contact_phone and not contact_phone.replace("+", "", 1).replace(" ", "").replace("-", "").isdigit():
        errors["contact_phone"] = _("Nomor telepon hanya boleh berisi angka, spasi, tanda hubung dan +.")
    application = None
    if application_number.strip():
        from praja.modules.licensing.selectors import get_application_by_tracking_number

        application = get_application_by_tracking_number(application_number.strip().upper())
        if application is None:
            errors["application_number"] = _(
                "Nomor pendaftaran %(number)s tidak ditemukan di pemerintah daerah ini. Periksa kembali "
                "atau kosongkan isian ini."
            ) % {"number": application_number.strip()}
    if errors:
        raise ValidationError(errors)
    return {
        "subject": subject,
        "description": description,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "contact_name": contact_name.strip(),
    }, application


def submit_complaint(
    *,
    actor,
    subject: str,
    description: str,
    application_number: str = "",
    permit_type=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    channel: str = ComplaintChannel.WEB,
    lapor_reference: str = "",
    client_key: str,
) -> tuple[Complaint, str]:
    """File a complaint (logged in, or anonymous with a contact) and receive it at once.

    Returns the complaint and its access code; the code is shown once and stored only as an HMAC.
    """
    tenant = require_current_tenant()
    cleaned, application = _clean_complaint(
        actor=actor,
        subject=subject,
        description=description,
        application_number=application_number,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    if application is not None:
        permit_type = application.permit_type
    is_anonymous = not getattr(actor, "is_authenticated", False)
    ratelimit.hit(
        tenant=tenant,
        scope="complaint",
        key=f"user:{actor.pk}" if not is_anonymous else client_key,
        limit=int(get_feedback_parameters(tenant)["public_submissions_per_hour"]),
    )
    token = secrets.token_urlsafe(12)
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            tenant=tenant,
            number=_next_complaint_number(tenant, timezone.localtime(now).year),
            access_digest=access_digest(token),
            channel=channel,
            complainant=None if is_anonymous else actor,
            application=application,
            permit_type=permit_type,
            lapor_reference=lapor_reference.strip()[:40],
            received_at=now,
            **cleaned,
        )
        transition(
            complaint,
            "receive",
            actor=None,
            data={
                "number": complaint.number,
                "channel": channel,
                "anonymous": is_anonymous,
                "application_id": getattr(application, "pk", None),
            },
        )
    return complaint, token


def _require_official(person, *, field: str) -> None:
    if person is None or not person.is_active or not has_permission(person, WORK_QUEUE):
        raise ValidationError({field: _("Pilih pejabat pemerintah daerah ini yang aktif.")})


def assign_complaint(*, actor, complaint, band: str, assignee, org_unit=None, request=None) -> Complaint:
    """Classify a received complaint into its band and hand it to an official (and unit)."""
    require_current_tenant()
    if band not in ComplaintBand.values:
        raise ValidationError({"band": _("Pilih kategori penyelesaian pengaduan.")})
    _require_official(assignee, field="assignee")
    if assignee.pk == complaint.complainant_id:
        raise ValidationError({"assignee": _("Pelapor tidak dapat ditugasi menangani pengaduannya sendiri.")})
    transition(
        complaint,
        "assign",
        actor=actor,
        request=request,
        updates={"band": band, "assigned_to": assignee, "assigned_org_unit": org_unit},
        data={"band": band, "assignee_id": assignee.pk, "org_unit_id": getattr(org_unit, "pk", None)},
    )
    return complaint


def reassign_complaint(*, actor, complaint, assignee, reason: str, org_unit=None, request=None) -> Complaint:
    require_current_tenant()
    _require_official(assignee, field="assignee")
    if assignee.pk == complaint.complainant_id:
        raise ValidationError({"assignee": _("Pelapor tidak dapat ditugasi menangani pengaduannya sendiri.")})
    transition(
        complaint,
        "reassign",
        actor=actor,
        reason=reason,
        request=request,
        updates={"assigned_to": assignee, "assigned_org_unit": org_unit},
        data={"assignee_id": assignee.pk, "org_unit_id": getattr(org_unit, "pk", None)},
    )
    return complaint


def answer_complaint(*, actor, complaint, answer: str, request=None) -> Complaint:
    """Give the complainant the answer; the band's clock stops."""
    require_current_tenant()
    answer = answer.strip()
    if len(answer) < 10:
        raise ValidationError({"answer": _("Tulis jawaban untuk pelapor (paling sedikit 10 huruf).")})
    now = timezone.now()
    with transaction.atomic():
        transition(
            complaint,
            "answer",
            actor=actor,
            request=request,
            updates={"answer": answer, "answered_at": now, "answered_by": actor},
        )
        _mail_anonymous_complainant(complaint)
    return complaint


def close_complaint(*, actor, complaint, request=None) -> Complaint:
    require_current_tenant()
    transition(complaint, "close", actor=actor, request=request, updates={"closed_at": timezone.now()})
    return complaint


def reject_complaint(*, actor, complaint, reason: str, request=None) -> Complaint:
    """Set aside an unintelligible or out-of-scope complaint, telling the complainant why."""
    require_current_tenant()
    with transaction.atomic():
        transition(
            complaint,
            "reject",
            actor=actor,
            reason=reason,
            request=request,
            updates={"rejection_reason": reason.strip(), "closed_at": timezone.now()},
        )
        _mail_anonymous_complainant(complaint)
    return complaint


def set_lapor_reference(*, actor, complaint, reference: str) -> Complaint:
    """Record the SP4N-LAPOR! ticket this complaint corresponds to (cross-reference only)."""
    require_current_tenant()
    from praja.modules.licensing.permissions import HANDLE_COMPLAINTS

    require(actor, HANDLE_COMPLAINTS)
    reference = reference.strip()
    if not reference or len(reference) > 40:
        raise ValidationError(
            {"lapor_reference": _("Tulis nomor tiket SP4N-LAPOR! (paling banyak 40 karakter).")}
        )
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        previous = locked.lapor_reference
        locked.lapor_reference = reference
        locked.save(update_fields=["lapor_reference"])
        record(
            "licensing.complaint_lapor_linked",
            actor=actor,
            obj=locked,
            data={"from": previous, "to": reference},
        )
    complaint.lapor_reference = reference
    return complaint


def _mail_anonymous_complainant(complaint) -> None:
    """An anonymous complainant with an email hears of the outcome (after commit, never before)."""
    if complaint.complainant_id or not complaint.contact_email:
        return
    from praja.core.tenancy.urls import tenant_reverse

    subject = _("Pengaduan %(number)s: %(status)s") % {
        "number": complaint.number,
        "status": ComplaintStatus(complaint.status).label,
    }
    body = _(
        "Yth. %(name)s,\n\nPengaduan Anda nomor %(number)s kini berstatus %(status)s. Buka %(url)s lalu "
        "masukkan nomor pengaduan dan kode akses yang Anda terima saat mengirim untuk membaca "
        "jawabannya.\n\n%(tenant)s"
    ) % {
        "name": complaint.contact_name,
        "number": complaint.number,
        "status": ComplaintStatus(complaint.status).label,
        "url": tenant_reverse("licensing-complaint-track", tenant=complaint.tenant),
        "tenant": complaint.tenant.name,
    }
    transaction.on_commit(
        partial(send_mail, str(subject), str(body), None, [complaint.contact_email], fail_silently=True)
    )


__all__ = [
    "SurveyAlreadyFilled",
    "answer_complaint",
    "assign_complaint",
    "close_complaint",
    "generate_ikm_report",
    "reassign_complaint",
    "reject_complaint",
    "set_lapor_reference",
    "submit_complaint",
    "submit_kiosk_survey",
    "submit_survey_response",
]
