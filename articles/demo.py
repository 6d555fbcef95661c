"""Demo data of the articles app for `manage.py load_demo`."""


def load(*, users: dict, stdout) -> None:
    """Create the demo articles; running twice must not duplicate anything."""
