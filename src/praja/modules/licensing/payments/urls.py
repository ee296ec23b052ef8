"""Page routes under /t/<slug>/licensing/: the local payment simulator."""

from django.urls import path

from praja.modules.licensing.payments.views import payment_simulator

urlpatterns = [
    path("payments/simulator/<str:billing_code>/", payment_simulator, name="licensing-payment-simulator"),
]
