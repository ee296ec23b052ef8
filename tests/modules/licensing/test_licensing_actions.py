"""What applicants and officials notice: refusals with the reason, nothing lost, nothing duplicated."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from praja.core.audit.models import AuditEvent
from praja.core.documents.models import StoredFile
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import GuardFailed, SecondFactorRequired, SeparationOfDutiesViolation
from praja.modules.licensing import actions, catalogue, rules
from praja.modules.licensing.models import Application, ApplicationDocument, ApplicationReturn
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.testing import SAMPLE_FORMS, fill_application, image_upload, pdf_upload
from tests.modules.licensing.conftest import place_in_status

pytestmark = pytest.mark.django_db


def test_missing_mandatory_requirement_blocks_submission_and_names_it(office):
    with use_tenant(office.tenant):
        app = actions.start_application(actor=office.citizen, permit_type=office.sip)
        fill_application(app, office.citizen, skip={"rekomendasi_idi"})
        with pytest.raises(ValidationError) as refused:
            actions.submit_application(actor=office.citizen, application=app)
        app.refresh_from_db()
    assert refused.value.message_dict == {
        "rekomendasi_idi": [
            "Persyaratan wajib belum diunggah: rekomendasi_idi — Rekomendasi organisasi profesi (IDI)."
        ]
    }
    assert (app.status, app.tracking_number) == (S.DRAFT, None)


def test_conditional_requirement_applies_only_when_its_condition_holds(office):
    with use_tenant(office.tenant):
        app = actions.start_application(actor=office.citizen, permit_type=office.sip)
        fill_application(
            app, office.citizen, form={**SAMPLE_FORMS["sip-dokter"], "jenis_praktik": "fasyankes"}
        )
        codes = {item.code for item in actions.applicable_requirements(app)}
    assert "surat_keterangan_fasyankes" in codes
    assert not {"pernyataan_tempat", "denah_lokasi"} & codes


def test_wrong_file_type_is_refused_with_the_reason_and_stores_nothing(office):
    with use_tenant(office.tenant):
        app = actions.start_application(actor=office.citizen, permit_type=office.sip)
        files_before = StoredFile.objects.count()
        with pytest.raises(ValidationError) as refused:
            actions.upload_requirement_document(
                actor=office.citizen,
                application=app,
                requirement_code="ijazah",
                uploaded_file=image_upload("ijazah.jpg"),
            )
        assert StoredFile.objects.count() == files_before
        assert not ApplicationDocument.objects.filter(application=app).exists()
    message = refused.value.message_dict["file"][0]
    assert message.startswith("Ijazah dokter: ")
    assert "PDF" in message


def test_expired_str_is_refused_with_the_date_and_the_submission_date(office):
    today = timezone.localdate()
    expired = today - datetime.timedelta(days=1)
    with use_tenant(office.tenant):
        app = actions.start_application(actor=office.citizen, permit_type=office.sip)
        with pytest.raises(ValidationError) as refused:
            actions.upload_requirement_document(
                actor=office.citizen,
                application=app,
                requirement_code="str",
                uploaded_file=pdf_upload("str.pdf"),
                valid_until=expired,
            )
        assert not StoredFile.objects.filter(owner=office.citizen).exists()
    from django.utils.formats import date_format

    assert refused.value.message_dict["valid_until"] == [
        "STR yang masih berlaku dan dilegalisasi KKI sudah tidak berlaku sejak "
        f"{date_format(expired, 'j F Y')}; "
        f"unggah dokumen yang masih berlaku pada tanggal pengajuan ({date_format(today, 'j F Y')})."
    ]


def test_str_that_expired_while_in_draft_blocks_submission(office):
    with use_tenant(office.tenant):
        app = actions.start_application(actor=office.citizen, permit_type=office.sip)
        fill_application(app, office.citizen)
        ApplicationDocument.objects.filter(application=app, requirement_code="str").update(
            valid_until=timezone.localdate() - datetime.timedelta(days=3)
        )
        with pytest.raises(ValidationError) as refused:
            actions.submit_application(actor=office.citizen, application=app)
    assert "sudah tidak berlaku sejak" in refused.value.message_dict["str"][0]


def test_double_submit_makes_one_application(office):
    key = uuid.uuid4()
    with use_tenant(office.tenant):
        first = actions.start_application(actor=office.citizen, permit_type=office.sip, idempotency_key=key)
        again = actions.start_application(actor=office.citizen, permit_type=office.sip, idempotency_key=key)
        assert first.pk == again.pk
        fill_application(first, office.citizen)
        submitted = actions.submit_application(actor=office.citizen, application=first)
        stale = Application.objects.get(pk=first.pk)
        repeat = actions.submit_application(actor=office.citizen, application=stale)
        assert Application.objects.filter(applicant=office.citizen).count() == 1
        assert AuditEvent.objects.filter(event_type="licensing.application_submitted").count() == 1
    assert repeat.tracking_number == submitted.tracking_number


def test_an_official_who_applied_cannot_process_their_own_file(office):
    app = place_in_status(office, S.SUBMITTED, applicant=office.front)
    with use_tenant(office.tenant), pytest.raises(SeparationOfDutiesViolation) as refused:
        actions.mark_application_complete(actor=office.front, application=app)
    assert "pihak dalam berkas ini" in str(refused.value)
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


def test_approval_without_second_factor_is_refused_and_recorded(office):
    app = place_in_status(office, S.RECOMMENDED_APPROVE)
    with use_tenant(office.tenant):
        with pytest.raises(SecondFactorRequired):
            actions.decide_application(actor=office.head, application=app, approve=True, otp_verified=False)
        app.refresh_from_db()
        assert app.status == S.RECOMMENDED_APPROVE
        assert (
            AuditEvent.objects.filter(
                event_type="workflow.second_factor_refused", actor_id=office.head.pk
            ).count()
            == 1
        )


def test_the_verifier_cannot_also_recommend_or_approve(office, make_person):
    both = make_person(office.tenant, roles=["licensing_front_office", "licensing_back_office"])
    app = place_in_status(office, S.SUBMITTED)
    with use_tenant(office.tenant):
        actions.mark_application_complete(actor=both, application=app)
        with pytest.raises(SeparationOfDutiesViolation):
            actions.register_application(actor=both, application=app)
        app.refresh_from_db()
    assert app.status == S.COMPLETE


def test_return_cites_requirement_codes_and_pauses_nothing_lost(office):
    app = place_in_status(office, S.SUBMITTED)
    with use_tenant(office.tenant):
        with pytest.raises(ValidationError) as refused:
            actions.return_application(
                actor=office.front, application=app, requirement_codes=[], reason="Kurang"
            )
        assert refused.value.message_dict == {
            "requirement_codes": ["Pilih minimal satu kode persyaratan yang harus diperbaiki."]
        }
        with pytest.raises(ValidationError) as unknown:
            actions.return_application(
                actor=office.front, application=app, requirement_codes=["sertifikat_x"], reason="x"
            )
        assert unknown.value.message_dict == {
            "requirement_codes": ["Kode persyaratan tidak dikenal: sertifikat_x."]
        }
        with pytest.raises(GuardFailed):
            actions.return_application(
                actor=office.front, application=app, requirement_codes=["ktp"], reason=" "
            )
        returned = actions.return_application(
            actor=office.front, application=app, requirement_codes=["ktp", "pas_foto"], reason="Foto buram"
        )
        app.refresh_from_db()
        assert (app.status, returned.requirement_codes) == (S.RETURNED, ["ktp", "pas_foto"])
        actions.upload_requirement_document(
            actor=office.citizen,
            application=app,
            requirement_code="ktp",
            uploaded_file=pdf_upload("ktp-baru.pdf"),
        )
        actions.resubmit_application(actor=office.citizen, application=app)
        app.refresh_from_db()
        assert app.status == S.SUBMITTED
        assert ApplicationReturn.objects.get(pk=returned.pk).answered_at is not None
        # The replaced KTP stays on record, only the new one is current.
        assert ApplicationDocument.objects.filter(application=app, requirement_code="ktp").count() == 2


def test_fifo_queue_needs_a_written_reason_to_take_a_file_out_of_turn(office):
    older = place_in_status(office, S.SUBMITTED)
    newer = place_in_status(office, S.SUBMITTED)
    with use_tenant(office.tenant):
        Application.objects.filter(pk=older.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=1))
        with pytest.raises(GuardFailed) as refused:
            actions.mark_application_complete(actor=office.front, application=newer)
        assert older.tracking_number in str(refused.value)
        with pytest.raises(ValidationError):
            actions.take_out_of_turn(actor=office.front, application=newer, reason="cepat")
        actions.take_out_of_turn(
            actor=office.front, application=newer, reason="Pemohon tenaga kesehatan darurat banjir"
        )
        actions.mark_application_complete(actor=office.front, application=newer)
        newer.refresh_from_db()
        event = AuditEvent.objects.get(event_type=actions.OUT_OF_TURN_EVENT)
    assert newer.status == S.COMPLETE
    assert newer.out_of_turn_by == office.front
    assert json.loads(event.data)["reason"] == "Pemohon tenaga kesehatan darurat banjir"


def test_field_inspection_needs_two_officers_and_coordinates_inside_indonesia(office):
    app = place_in_status(office, S.REGISTERED, permit_type=office.reklame)
    with use_tenant(office.tenant):
        with pytest.raises(ValidationError) as small:
            actions.assign_technical_team(actor=office.back, application=app, members=[office.tech1])
        assert small.value.message_dict == {
            "members": ["Peninjauan lapangan harus ditugaskan kepada minimal dua petugas."]
        }
        with pytest.raises(ValidationError) as stranger:
            actions.assign_technical_team(
                actor=office.back, application=app, members=[office.tech1, office.front]
            )
        assert "bukan anggota tim teknis" in stranger.value.message_dict["members"][0]
        actions.assign_technical_team(
            actor=office.back, application=app, members=[office.tech1, office.tech2]
        )
        files = StoredFile.objects.count()
        with pytest.raises(ValidationError) as outside:
            actions.record_inspection(
                actor=office.tech1,
                application=app,
                inspected_on=timezone.localdate(),
                location="Singapura",
                latitude="1.29",
                longitude="103.85",
                findings="x",
                is_compliant=True,
                photos=[{"file": image_upload(), "latitude": "51.5", "longitude": "-0.12"}],
            )
        assert StoredFile.objects.count() == files
        app.refresh_from_db()
    assert app.status == S.FIELD_INSPECTION
    errors = outside.value.message_dict
    assert set(errors) == {"photo_1_latitude", "photo_1_longitude"}  # Singapore's box overlaps Riau's
    assert errors["photo_1_latitude"] == [
        "Foto 1: Koordinat 51.5 berada di luar wilayah Indonesia (-11.5 sampai 6.5)."
    ]


def test_only_assigned_team_members_act_for_the_technical_team(office, make_person):
    outsider = make_person(office.tenant, roles=["licensing_technical"])
    app = place_in_status(office, S.TECHNICAL_REVIEW)
    from praja.core.workflow.errors import PermissionDenied

    with use_tenant(office.tenant), pytest.raises(PermissionDenied):
        actions.recommend(actor=outsider, application=app, approve=True, reason="ok")


def test_publishing_a_new_requirement_version_leaves_older_applications_alone(office):
    with use_tenant(office.tenant):
        old = actions.start_application(actor=office.citizen, permit_type=office.sip)
        draft = catalogue.create_requirement_version(actor=office.admin, permit_type=office.sip)
        with pytest.raises(ValidationError):
            catalogue.save_requirement(
                actor=office.admin,
                requirement_set=old.requirement_set,
                values={"code": "baru", "label": "Baru", "accepted_types": "pdf"},
            )
        catalogue.save_requirement(
            actor=office.admin,
            requirement_set=draft,
            values={
                "code": "sertifikat_kompetensi",
                "label": "Sertifikat kompetensi",
                "accepted_types": "pdf",
                "is_mandatory": True,
            },
        )
        catalogue.publish_requirement_set(actor=office.admin, requirement_set=draft)
        new = actions.start_application(actor=office.citizen, permit_type=office.sip)
        fill_application(old, office.citizen)
        actions.submit_application(actor=office.citizen, application=old)
        old.refresh_from_db()
        new_codes = {item.code for item in new.requirement_set.requirements.all()}
        old_codes = {item.code for item in old.requirement_set.requirements.all()}
    assert (old.requirement_set.version, new.requirement_set.version) == (1, 2)
    assert old.status == S.SUBMITTED
    assert "sertifikat_kompetensi" in new_codes - old_codes


def test_catalogue_needs_the_admin_and_a_perda_for_fees(office):
    from django.core.exceptions import PermissionDenied

    with use_tenant(office.tenant):
        with pytest.raises(PermissionDenied):
            catalogue.save_permit_type(actor=office.front, values={"code": "x", "name": "X"})
        with pytest.raises(ValidationError) as refused:
            catalogue.save_permit_type(
                actor=office.admin,
                values={
                    "code": "izin-baru",
                    "name": "Izin Baru",
                    "legal_basis": "Perwal",
                    "sla_working_days": 5,
                    "fee_kind": "fixed",
                    "fee_amount": 0,
                    "permit_number_prefix": "IB",
                },
            )
    assert refused.value.message_dict == {
        "fee_amount": ["Isi tarif retribusi tetap (Rupiah) sesuai Perda."],
        "fee_legal_basis": ["Retribusi harus berdasarkan Perda; sebutkan dasar tarifnya."],
    }


def test_rules_prefix_validity_and_coordinates():
    assert [
        rules.tracking_prefix_for(slug) for slug in ("kota-bandung", "kabupaten-serang", "kota-mataram")
    ] == ["BDG", "SRG", "MTR"]
    assert rules.permit_validity(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 27)
    assert rules.permit_validity(datetime.date(2026, 3, 1), 60) == datetime.date(2031, 2, 28)
    assert rules.validate_coordinates("-10.9", "123.1") == {}  # Rote
    assert rules.validate_coordinates("-6,9", "107,6") == {}
    assert set(rules.validate_coordinates("abc", "200")) == {"latitude", "longitude"}
    assert rules.condition_holds("jenis_praktik == mandiri", {"jenis_praktik": "Mandiri"}) is True
    assert rules.condition_holds("jenis_praktik != mandiri", {"jenis_praktik": "mandiri"}) is False


def test_system_steps_left_behind_are_finished_by_the_job(office):
    from praja.modules.licensing.tasks import finish_system_steps

    app = place_in_status(office, S.APPROVED)
    assert finish_system_steps(office.tenant) == 1
    with use_tenant(office.tenant):
        app.refresh_from_db()
        assert app.status == S.ISSUED
        assert app.permit.official_document.status == "valid"
    assert finish_system_steps(office.tenant) == 0


def test_work_queue_lists_the_licensing_files_oldest_first(office):
    from praja.modules.licensing.selectors import work_queue_items

    first = place_in_status(office, S.SUBMITTED)
    second = place_in_status(office, S.SUBMITTED)
    with use_tenant(office.tenant):
        Application.objects.filter(pk=second.pk).update(
            queued_at=timezone.now() + datetime.timedelta(minutes=5)
        )
        items = work_queue_items(office.front)
        assert work_queue_items(office.back) == []
    assert [item["title"] for item in items] == [
        f"{first.tracking_number} · Surat Izin Praktik (SIP) Dokter",
        f"{second.tracking_number} · Surat Izin Praktik (SIP) Dokter",
    ]
    assert items[0]["url"] == f"/t/{office.tenant.slug}/licensing/files/{first.pk}/"
