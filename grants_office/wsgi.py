import os

from django.core.wsgi import get_wsgi_application

from grants_office.core.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grants_office.settings")
application = get_wsgi_application()
settle()
