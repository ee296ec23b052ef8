"""Log in with an email address, a NIK or a NIP, whichever the person knows by heart."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from praja.core.accounts.models import User
from praja.core.accounts.rules import normalize_number


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, identifier=None, **kwargs):
        identifier = (identifier or username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        number = normalize_number(identifier)
        query = Q(email__iexact=identifier)
        if number.isdigit() and len(number) in (16, 18):
            query |= Q(nik=number) | Q(nip=number)
        user = User.objects.filter(query).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
