from django.urls import path

from praja.core.web import views

urlpatterns = [
    path("", views.portal_home, name="portal-home"),
]
