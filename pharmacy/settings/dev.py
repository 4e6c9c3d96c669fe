from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# Serve static files straight from the app folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# `make run` prints this with the metrics URL (manage.py setup_demo). A demo
# value: production has none unless METRICS_TOKEN is set.
METRICS_TOKEN = env("METRICS_TOKEN", default="demo-metrics-token")
