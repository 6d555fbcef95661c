"""Ticket views: the queues (queue.py) and one ticket's page and actions (ticket.py)."""

from tickets.views.queue import home_panel, search_results, ticket_by_number

__all__ = ["home_panel", "search_results", "ticket_by_number"]
