import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
application = get_wsgi_application()
# The URL configuration, and through it every view module, loaded while the worker
# boots rather than in its first request (0.7 s that someone would wait).
get_resolver().url_patterns  # noqa: B018
# What is loaded by now (settings, models, URL patterns) lives as long as the
# process: keep it out of the collector's full passes, which scanned its 100k
# objects every few hundred requests (docs/benchmarks.md, "More agents per core").
gc.freeze()
