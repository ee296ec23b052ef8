from django.urls import path

from praja.core.audit import views

urlpatterns = [
    path("audit/checkpoints/", views.checkpoints, name="audit-checkpoints"),
    path("audit/certificate.pem", views.certificate, name="audit-certificate"),
    path("my-data-access/", views.my_data_access, name="my-data-access"),
]
