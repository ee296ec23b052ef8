"""Page routes of the monthly close, included by P1's performance urls at /t/<slug>/performance/tpp/."""

from django.urls import path

from praja.modules.performance.tpp import views

urlpatterns = [
    path("", views.dashboard_page, name="tpp-dashboard"),
    path("me/", views.my_tpp_page, name="tpp-my"),
    path("export.csv", views.export_page, {"fmt": "csv"}, name="tpp-export-csv"),
    path("export.xlsx", views.export_page, {"fmt": "xlsx"}, name="tpp-export-xlsx"),
    path("closes/", views.closes_page, name="tpp-closes"),
    path("closes/<int:close_id>/", views.close_page, name="tpp-close"),
    path("closes/<int:close_id>/units/<int:unit_id>/list.pdf", views.unit_pdf_page, name="tpp-unit-pdf"),
    path("closes/<int:close_id>/units/<int:unit_id>/list.xlsx", views.unit_xlsx_page, name="tpp-unit-xlsx"),
    path("signals/", views.signals_page, name="tpp-signals"),
]
