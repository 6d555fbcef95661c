"""Demo data of the tickets app for `manage.py load_demo`."""


def load(*, users: dict, stdout) -> None:
    """Create the demo tickets; running twice must not duplicate anything."""
