from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)

# Serve static files straight from the app folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# `make run` prints this with the metrics URL (manage.py setup_demo). A demo
# value: production has none unless METRICS_TOKEN is set.
METRICS_TOKEN = env("METRICS_TOKEN", default="demo-metrics-token")

# `make run` makes a demo intermediary with a random password kept in this
# file (manage.py erx_demo_intermediary), unless ERX_INTERMEDIARIES is set.
ERX_DEMO_PASSWORD_FILE = BASE_DIR / ".erx-demo-password"
ERX_DEMO_INTERMEDIARY = "demo-intermediary"
if ERX_DEMO_PASSWORD_FILE.exists():
    ERX_INTERMEDIARIES = env.dict(
        "ERX_INTERMEDIARIES",
        default={ERX_DEMO_INTERMEDIARY: ERX_DEMO_PASSWORD_FILE.read_text().strip()},
    )
