"""Settings of the benchmark server: Praja's own settings plus a bare JSON view (bench/urls.py).

Bench routes never enter production URLs; only a server started with
DJANGO_SETTINGS_MODULE=bench.settings serves them.
"""

from praja.config.settings import *  # noqa: F403
from praja.config.settings import LOGGING

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Request logs would measure the terminal, not Praja.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
