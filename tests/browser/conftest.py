import os

# Playwright's sync API runs an event loop in this thread; Django would refuse
# the test's own database calls without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
