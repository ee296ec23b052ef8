"""Rate limits: anonymous callers by IP (`anon` scope), signed-in callers by account (`user`).

The rate is read from settings on every request rather than once at import, so a deployment (and
a test) can change `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` without restarting.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    pass
