"""People: one global account per person, and per-tenant organisation, positions and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from praja.core.tenancy.models import GlobalModelMixin, Tenant, TenantScopedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_platform_operator", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(GlobalModelMixin, AbstractBaseUser, PermissionsMixin):
    """A person. Citizens have a NIK; civil servants also a NIP. Roles live per tenant."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    email_verified_at = models.DateTimeField(_("email terverifikasi"), null=True, blank=True)
    preferred_language = models.CharField(_("bahasa"), max_length=5, default="id")
    home_tenant = models.ForeignKey(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Daerah tempat akun didaftarkan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_platform_operator = models.BooleanField(_("operator platform"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        return self.is_platform_operator

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None


class OrgUnitKind(models.TextChoices):
    PERANGKAT_DAERAH = "perangkat_daerah", _("Perangkat Daerah")
    UNIT = "unit", _("Unit kerja")


class OrgUnit(TenantScopedModel):
    """A perangkat daerah (dinas, badan) or a unit inside one."""

    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="orgunit_code_unique")]
        ordering = ["code"]
        verbose_name = _("unit organisasi")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def perangkat_daerah(self) -> OrgUnit:
        unit = self
        while unit.kind != OrgUnitKind.PERANGKAT_DAERAH and unit.parent_id:
            unit = OrgUnit.all_tenants.get(pk=unit.parent_id)
        return unit


class Position(TenantScopedModel):
    """A position (jabatan) in an org unit; its supervisor position gives the supervisor chain."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("nama jabatan"), max_length=200)
    job_class = models.PositiveSmallIntegerField(_("kelas jabatan"), null=True, blank=True)
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="subordinates"
    )
    holder = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )

    class Meta:
        indexes = [models.Index(fields=["tenant", "holder"])]
        ordering = ["org_unit__code", "title"]
        verbose_name = _("jabatan")

    def __str__(self) -> str:
        return self.title


class RoleGrant(TenantScopedModel):
    """A role held by a person in one tenant, optionally limited to one perangkat daerah."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=60)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "user", "role"])]
        ordering = ["role"]
        verbose_name = _("peran")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class EmailVerification(GlobalModelMixin, models.Model):
    """One-time token sent to prove a citizen owns their email address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # The address being proved; differs from `user.email` while an email change waits for proof.
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"verification:{self.user_id}"
