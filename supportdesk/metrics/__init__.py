"""Prometheus metrics for operators, on a path only they reach (``/metrics``).

prometheus_client keeps the figures. Under gunicorn's several workers (and the
task worker, and ``ingest_email`` runs) set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory, the same for every process, so ``/metrics`` adds them up.
Figures that live in the database (tasks waiting, mail stuck) are read at
scrape time by collectors the apps register (``register_collector``).
"""

from supportdesk.metrics.instruments import (
    MAIL_INTAKE,
    register_collector,
    source_kind,
)

__all__ = ["MAIL_INTAKE", "register_collector", "source_kind"]
