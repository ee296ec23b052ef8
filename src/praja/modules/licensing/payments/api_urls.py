"""API routes under /t/<slug>/api/v1/licensing/: the payment callback and the public read-outs."""

from django.urls import path

from praja.modules.licensing.payments.api import PaymentCallbackView
from praja.modules.licensing.public.api import PermitTypeStatisticsView, StatisticsView, TrackingView

urlpatterns = [
    path("payments/callback/", PaymentCallbackView.as_view(), name="licensing-payment-callback"),
    path("tracking/<str:tracking_number>/", TrackingView.as_view(), name="licensing-api-tracking"),
    path("statistics/", StatisticsView.as_view(), name="licensing-api-statistics"),
    path(
        "statistics/<slug:permit_type_code>/",
        PermitTypeStatisticsView.as_view(),
        name="licensing-api-permit-type-statistics",
    ),
]
