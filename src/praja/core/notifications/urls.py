from django.urls import path

from praja.core.notifications import views

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read-all/", views.mark_all_read, name="notifications-read-all"),
    path("notifications/<int:message_id>/read/", views.mark_read, name="notification-read"),
]
