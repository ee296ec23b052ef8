import pytest

from praja.core.tenancy.context import use_tenant
from praja.modules.licensing import actions
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.testing import image_upload, submitted_application


@pytest.mark.django_db
def test_free_permit_flow(office):
    with use_tenant(office.tenant):
        app = submitted_application(office.citizen, office.sip)
        assert app.status == S.SUBMITTED
        assert app.tracking_number.startswith("BDG-")
        actions.mark_application_complete(actor=office.front, application=app)
        actions.register_application(actor=office.back, application=app)
        actions.assign_technical_team(actor=office.back, application=app, members=[office.tech1])
        actions.recommend(actor=office.tech1, application=app, approve=True, reason="Memenuhi syarat")
        actions.decide_application(actor=office.head, application=app, approve=True, otp_verified=True)
        app.refresh_from_db()
        assert app.status == S.ISSUED
        assert app.permit.permit_number.startswith("SIPD/00001/")
