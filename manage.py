#!/usr/bin/env python
import os
import sys

# Commands that only read the code: they sign nothing and serve nothing, so they
# run without the deployment's SECRET_KEY (CI and hooks check migrations so), and
# so does help. Everything else still refuses to start without one outside DEBUG.
KEYLESS_COMMANDS = {"makemigrations", "help"}
HELP_FLAGS = {"-h", "--help"}


def wants_no_key(argv: list[str]) -> bool:
    return len(argv) < 2 or argv[1] in KEYLESS_COMMANDS or bool(HELP_FLAGS & set(argv[1:]))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    if wants_no_key(sys.argv):
        os.environ.setdefault("SECRET_KEY", "unused-by-" + " ".join(sys.argv[1:2]))
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- loads the settings, which check the environment
    except ImproperlyConfigured as error:
        # A missing or malformed variable is the operator's to fix: one line, no traceback.
        sys.exit(f"manage.py: {error} README.md lists the settings; DEBUG=true runs the demo.")
    execute_from_command_line(sys.argv)
