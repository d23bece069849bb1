"""WSGI entry point (gunicorn `amtshilfe.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
application = get_wsgi_application()
