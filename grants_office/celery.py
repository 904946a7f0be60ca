"""The Celery application. Settings prefixed CELERY_ in grants_office.settings configure it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grants_office.settings")

app = Celery("grants_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
