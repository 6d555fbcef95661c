"""Background work on tickets (Django tasks, run by the django_tasks_db worker)."""

from django.tasks import task

from tickets.resolution import close_solved_tickets


# == Closing quiet tickets (ticket page branch) ==
@task
def close_solved_tickets_task() -> int:
    """Close solved tickets nobody touched for a while; schedule it daily
    (cron: ``manage.py close_solved_tickets``, or enqueue this task)."""
    return close_solved_tickets()
