import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
application = get_wsgi_application()
# What is loaded by now (settings, models, URL patterns) lives as long as the
# process: keep it out of the collector's full passes, which scanned its 100k
# objects every few hundred requests (docs/benchmarks.md, "More agents per core").
gc.freeze()
