"""Ticket views: the queues (queue.py) and one ticket's page and actions (ticket.py)."""

from tickets.views.queue import home_panel, search_results

__all__ = ["home_panel", "search_results"]
