"""WSGI entry point: `gunicorn mlperf_site.wsgi` (and `manage.py runserver`)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlperf_site.settings")

application = get_wsgi_application()

# The site never serves with the placeholder key: without a real one (DEBUG off),
# the settings leave SECRET_KEY empty and the server stops here, at start-up.
from django.conf import settings  # noqa: E402

try:
    _ = settings.SECRET_KEY  # Django raises when it is empty
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY) from exc
