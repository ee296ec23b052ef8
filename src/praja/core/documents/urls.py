from django.urls import path

from praja.core.documents import views

urlpatterns = [
    path("my-files/", views.my_files, name="my-files"),
    path("files/<int:file_id>/", views.download_file, name="file-download"),
    path("verify/", views.verify_lookup, name="verify-lookup"),
    path("verify/<str:code>", views.verify_document, name="verify-document"),
]
