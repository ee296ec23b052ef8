from django.urls import path

from praja.core.web import views

urlpatterns = [
    path("", views.tenant_home, name="tenant-home"),
]
