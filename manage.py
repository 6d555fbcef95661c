#!/usr/bin/env python
import os
import sys

# Commands that only read the code: they sign nothing and serve nothing, so they
# run without the deployment's SECRET_KEY (CI and hooks check migrations so).
# Everything else still refuses to start without one outside DEBUG.
KEYLESS_COMMANDS = {"makemigrations"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("SECRET_KEY", "unused-by-" + sys.argv[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
