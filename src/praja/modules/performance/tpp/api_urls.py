"""API routes of the monthly close; P1's api_urls include them at /t/<slug>/api/v1/performance/."""

from django.urls import path

from praja.modules.performance.tpp import api

urlpatterns = [
    path("results/me/", api.MyResultsView.as_view(), name="tpp-api-my-results"),
    path("results/", api.ResultListView.as_view(), name="tpp-api-results"),
    path("closes/", api.CloseListView.as_view(), name="tpp-api-closes"),
    path("closes/<int:close_id>/", api.CloseDetailView.as_view(), name="tpp-api-close"),
    path("signals/", api.SignalListView.as_view(), name="tpp-api-signals"),
]
