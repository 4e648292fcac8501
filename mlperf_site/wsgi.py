"""WSGI entry point: `gunicorn mlperf_site.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlperf_site.settings")

application = get_wsgi_application()
