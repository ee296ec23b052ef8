"""Fixtures of the performance tests: a frozen clock, Bandung's config and an office with a chain.

The clock is frozen by patching `django.utils.timezone.now` (the code reads time only through it),
at Tuesday 5 May 2026 10:00 WIB unless a test moves it.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
_nips = itertools.count(1)


def next_nip() -> str:
    return f"19850505{next(_nips):010d}"


class Clock:
    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.now = None

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        assert moment.tzinfo is not None
        self.now = moment
        self._monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)
        return moment


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(datetime.datetime(2026, 5, 5, 10, 0, tzinfo=WIB))
    return clock


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


@dataclass
class World:
    tenant: object
    config: object
    office: object
    bkpsdm: object
    bkpsdm_head: object
    head_totp: object

    @property
    def staff(self):
        return self.office.staff

    @property
    def chief(self):
        return self.office.chief


def build_world(tenant, make_person, totp_for, *, code="2.18"):
    from praja.core.tenancy.context import use_tenant
    from praja.modules.performance.testing import approved_config, make_office

    def user(**fields):
        return make_person(tenant, nip=next_nip(), **fields)

    with use_tenant(tenant):
        config = approved_config()
        office = make_office(user, code=code)
    head = make_person(tenant, roles=["performance_bkpsdm_head"], full_name="Kepala BKPSDM", nip=next_nip())
    return World(
        tenant=tenant,
        config=config,
        office=office,
        bkpsdm=make_person(tenant, roles=["performance_bkpsdm"], full_name="Analis BKPSDM", nip=next_nip()),
        bkpsdm_head=head,
        head_totp=totp_for(head),
    )


@pytest.fixture
def bandung(tenant_a, make_person, totp_for, clock, document_root):
    return build_world(tenant_a, make_person, totp_for)


@pytest.fixture
def mataram(tenant_wita, make_person, totp_for, clock, document_root):
    return build_world(tenant_wita, make_person, totp_for, code="2.18")


# --- The month of the TPP close tests ----------------------------------------------------------

MAY = datetime.date(2026, 5, 1)
# May 2026 in Bandung: 1 (Hari Buruh), 14 (Kenaikan Isa Almasih), 15 (cuti bersama), 27
# (Iduladha) and the weekends are off: 16 working days; Fridays among them: 8, 22, 29.
MAY_WORKING_DAYS = [
    datetime.date(2026, 5, d) for d in (4, 5, 6, 7, 8, 11, 12, 13, 18, 19, 20, 21, 22, 25, 26, 29)
]


@pytest.fixture
def office(tenant_a, make_person):
    """A Dinas Pendidikan of Kota Bandung: head, two staff, an approved configuration."""
    from praja.modules.performance.tpp.testing import make_office

    return make_office(tenant_a, make_person)


@pytest.fixture
def bkpsdm(tenant_a, make_person):
    return make_person(tenant_a, roles=["performance_bkpsdm"], full_name="Operator BKPSDM")
