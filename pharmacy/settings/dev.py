from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# Serve static files straight from the app folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
