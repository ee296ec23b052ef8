"""Settings of the licensing benchmark server: bench.settings plus a tracking limit out of the way.

The public tracking endpoint allows 60 look-ups a minute per address; every benchmark request comes
from 127.0.0.1, so the limit is raised here (the counter itself still runs on every request).
"""

from bench.settings import *  # noqa: F403

PRAJA_LICENSING_TRACKING_PER_MINUTE = 10**9
