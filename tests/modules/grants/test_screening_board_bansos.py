"""A board member (pengurus) of an organisation funded by hibah who also receives bansos, by NIK."""

from __future__ import annotations

import datetime

import pytest

from praja.core.workflow.registry import allow_status_assignment
from praja.modules.grants.models import BansosCase
from praja.modules.grants.screening import actions, selectors
from praja.modules.grants.screening.models import Flag, FlagKind, FlagSeverity
from praja.modules.grants.testing import draft_proposal, make_programme, place_proposal
from tests.modules.grants.test_screening_proposals import OTHER_NIKS, world  # noqa: F401

pytestmark = pytest.mark.django_db

TREASURER_NIK = OTHER_NIKS["treasurer"]  # born 25-07-1979, male, Kecamatan Sukasari (32.73.01)


@pytest.fixture
def officer(tenant_a, make_person):
    return make_person(tenant_a, roles=["grants_registry_officer"], full_name="Petugas Dinsos")


def register_treasurer(officer):
    return actions.register_beneficiary(
        actor=officer, data_source="dtks", nik=TREASURER_NIK, kk_number="3273010101090006",
        full_name="Dadang Hermawan", birth_date=datetime.date(1979, 7, 25), sex="L", mother_name="Onah",
        address="Gg. Kenari 3", rt="1", rw="1", area_code="32.73.01.1001",
    )  # fmt: skip


def bansos_case(beneficiary, *, year: int, status: str = "registered", number: str = "BSS-1"):
    programme = make_programme(
        f"bansos-{year}", kind="bansos", budget_year=year, name=f"Bansos Warga Rentan {year}"
    )
    case = BansosCase.objects.create(
        number=number, programme=programme, beneficiary=beneficiary, recipient_name=beneficiary.full_name,
        amount=1_200_000, social_data_source="dtks",
    )  # fmt: skip
    if status != "registered":
        with allow_status_assignment():
            BansosCase.objects.filter(pk=case.pk).update(status=status)
    return case


def board_flags(flags):
    return [flag for flag in flags if flag.kind == FlagKind.BOARD_MEMBER_BANSOS]


def test_board_member_receiving_bansos_the_same_year_is_flagged_high(tenant_a, world, officer, in_tenant):  # noqa: F811
    with in_tenant(tenant_a):
        treasurer = register_treasurer(officer)
        case = bansos_case(treasurer, year=2027)
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        [flag] = board_flags(actions.screen_proposal(proposal=proposal, actor=None))
        assert flag.severity == FlagSeverity.HIGH
        assert flag.explanation == (
            f"Pengurus Dadang Hermawan (NIK {TREASURER_NIK}, Bendahara) dari Perkumpulan Seni Cikapundung, "
            "yang mengajukan hibah tahun 2027, juga menerima bansos pada tahun anggaran yang sama: "
            "Bansos Warga Rentan 2027 2027."
        )
        assert flag.evidence["records"] == [f"grants.bansoscase:{case.pk}"]
        assert (flag.evidence["years"], flag.evidence["same_year"]) == ([2027], True)
        # Screening again does not duplicate it.
        actions.screen_proposal(proposal=proposal, actor=None)
        assert Flag.objects.filter(kind=FlagKind.BOARD_MEMBER_BANSOS).count() == 1


def test_bansos_in_another_year_is_flagged_medium(tenant_a, world, officer, in_tenant):  # noqa: F811
    with in_tenant(tenant_a):
        treasurer = register_treasurer(officer)
        bansos_case(treasurer, year=2025)
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        [flag] = board_flags(actions.screen_proposal(proposal=proposal, actor=None))
        assert flag.severity == FlagSeverity.MEDIUM
        assert "tercatat sebagai penerima bansos pada tahun lain: Bansos Warga Rentan 2025 2025." in (
            flag.explanation
        )


def test_no_flag_without_active_bansos(tenant_a, world, officer, in_tenant):  # noqa: F811
    with in_tenant(tenant_a):
        treasurer = register_treasurer(officer)  # in the registry, but receives nothing
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        assert board_flags(actions.screen_proposal(proposal=proposal, actor=None)) == []
        bansos_case(treasurer, year=2027, status="cancelled")
        assert board_flags(actions.screen_proposal(proposal=proposal, actor=None)) == []
        # The first organisation's board (other NIKs) is not touched by the treasurer's bansos.
        bansos_case(treasurer, year=2027, number="BSS-2")
        first = draft_proposal(world["first_rep"], world["programme"], world["first"])
        assert board_flags(actions.screen_proposal(proposal=first, actor=None)) == []


def test_bansos_recipient_on_the_board_of_a_funded_organisation(tenant_a, world, officer, in_tenant):  # noqa: F811
    with in_tenant(tenant_a):
        treasurer = register_treasurer(officer)
        bansos_case(treasurer, year=2027)
        # The organisation has only applied (not funded): the bansos side raises nothing yet.
        place_proposal(world["second_rep"], world["programme"], world["second"], "submitted")
        assert board_flags(actions.screen_beneficiary(beneficiary=treasurer, actor=None)) == []
        last_year = make_programme("hibah-2026", budget_year=2026, name="Hibah 2026")
        funded = place_proposal(world["second_rep"], last_year, world["second"], "in_decree")
        [flag] = board_flags(actions.screen_beneficiary(beneficiary=treasurer, actor=None))
        assert flag.severity == FlagSeverity.MEDIUM
        assert flag.explanation == (
            f"Penerima bansos Dadang Hermawan (NIK {TREASURER_NIK}, bansos tahun 2027) adalah pengurus "
            "Perkumpulan Seni Cikapundung yang menerima hibah tahun 2026."
        )
        assert f"grants.proposal:{funded.pk}" in flag.evidence["records"]
        assert [f.kind for f in selectors.open_flags_for(treasurer)] == [FlagKind.BOARD_MEMBER_BANSOS]
