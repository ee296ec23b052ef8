"""BKPSDM master data: dated versions, approval with the second factor, frozen once approved, adoption."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import PermissionDenied as WorkflowPermissionDenied
from praja.core.workflow.errors import SecondFactorRequired
from praja.modules.performance import catalogue, selectors
from praja.modules.performance.models import ConfigStatus, PerformanceConfig


def test_new_draft_copies_the_version_in_force_and_applies_from_its_month(bandung):
    with use_tenant(bandung.tenant):
        draft = catalogue.create_config_draft(
            actor=bandung.bkpsdm,
            effective_from=datetime.date(2026, 7, 15),
            values={"daily_quota_minutes": 270},
        )
        assert (draft.version, draft.effective_from, draft.status) == (2, datetime.date(2026, 7, 1), "draft")
        assert (
            draft.allowances.count() == 17 and draft.activities.count() == bandung.config.activities.count()
        )
        catalogue.set_allowance(actor=bandung.bkpsdm, config=draft, job_class=9, amount=5_250_000)
        assert selectors.config_for_month(bandung.tenant, 2026, 7) == bandung.config  # draft not in force
        catalogue.approve_config(actor=bandung.bkpsdm_head, config=draft, otp_verified=True)
        assert selectors.config_for_month(bandung.tenant, 2026, 6) == bandung.config
        assert selectors.config_for_month(bandung.tenant, 2026, 7) == draft
        assert selectors.config_for_month(bandung.tenant, 2027, 1) == draft
        assert selectors.config_for_month(bandung.tenant, 2025, 12) is None
        assert selectors.allowance_for(draft, 9) == 5_250_000
        assert selectors.allowance_for(bandung.config, 9) == 5_000_000


def test_approval_needs_the_head_of_bkpsdm_with_second_factor(bandung):
    with use_tenant(bandung.tenant):
        draft = catalogue.create_config_draft(actor=bandung.bkpsdm, effective_from=datetime.date(2026, 8, 1))
        with pytest.raises(SecondFactorRequired):
            catalogue.approve_config(actor=bandung.bkpsdm_head, config=draft, otp_verified=False)
        with pytest.raises(WorkflowPermissionDenied):
            catalogue.approve_config(actor=bandung.bkpsdm, config=draft, otp_verified=True)
        draft.refresh_from_db()
        assert draft.status == ConfigStatus.DRAFT


def test_approved_version_is_frozen(bandung):
    with use_tenant(bandung.tenant):
        with pytest.raises(ValidationError) as caught:
            catalogue.update_config_draft(
                actor=bandung.bkpsdm, config=bandung.config, values={"daily_quota_minutes": 1}
            )
        assert caught.value.messages == [
            "Konfigurasi versi 1 sudah disetujui dan tidak dapat diubah; buat versi baru yang berlaku mulai "
            "bulan berikutnya."
        ]
        with pytest.raises(ValidationError):
            catalogue.set_allowance(actor=bandung.bkpsdm, config=bandung.config, job_class=9, amount=1)
        assert PerformanceConfig.objects.get(pk=bandung.config.pk).daily_quota_minutes == 300
        assert selectors.allowance_for(bandung.config, 9) == 5_000_000


def test_master_data_rules_are_checked(bandung):
    with use_tenant(bandung.tenant):
        draft = catalogue.create_config_draft(actor=bandung.bkpsdm, effective_from=datetime.date(2026, 9, 1))
        with pytest.raises(ValidationError) as caught:
            catalogue.update_config_draft(
                actor=bandung.bkpsdm,
                config=draft,
                values={"kinerja_weight_percent": Decimal("70"), "office_hours": {"0": ["16:00", "07:30"]}},
            )
        assert caught.value.message_dict == {
            "disiplin_weight_percent": [
                "Bobot kinerja dan bobot disiplin harus berjumlah 100 % (Kepmendagri 900-4700/2020: 60/40)."
            ],
            "office_hours": [
                "Jam kerja harus berupa hari (0 = Senin … 6 = Minggu) dengan jam masuk dan jam pulang HH:MM, "
                "jam pulang setelah jam masuk."
            ],
        }
        with pytest.raises(ValidationError) as caught:
            catalogue.save_activity(
                actor=bandung.bkpsdm,
                config=draft,
                values={
                    "code": "rapat-koordinasi",
                    "name": "Rapat",
                    "output_unit": "notulen",
                    "standard_minutes": 60,
                },
            )
        assert caught.value.message_dict == {
            "code": ["Kode aktivitas rapat-koordinasi sudah ada di versi ini."]
        }


def test_only_bkpsdm_changes_master_data(bandung):
    with use_tenant(bandung.tenant), pytest.raises(PermissionDenied) as caught:
        catalogue.create_config_draft(actor=bandung.staff.user, effective_from=datetime.date(2026, 9, 1))
    assert str(caught.value) == "Hanya BKPSDM yang dapat mengubah data induk kinerja."
    with use_tenant(bandung.tenant):
        assert PerformanceConfig.objects.count() == 1


def test_another_tenant_adopts_bandungs_configuration_once(bandung, tenant_b, clock):
    with use_tenant(bandung.tenant):
        source_activities = bandung.config.activities.count()
    with use_tenant(tenant_b):
        changes = catalogue.adopt_configuration(source=bandung.tenant, target=tenant_b)
        again = catalogue.adopt_configuration(source=bandung.tenant, target=tenant_b)
        copy = PerformanceConfig.objects.get()
        assert len(changes) == 1 and again == []
        assert (copy.status, copy.version, copy.effective_from) == ("draft", 1, datetime.date(2026, 5, 1))
        assert copy.activities.count() == source_activities == 14
        assert selectors.allowance_for(copy, 15) == 21_000_000
        assert selectors.config_for_month(tenant_b, 2026, 5) is None  # the draft needs Serang's approval
