from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, credentials, *args, **kwargs):
    return render(
        request, "accounts/locked.html",
        {"message": _("Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; coba lagi 15 menit lagi.")},
        status=429,
    )
