"""Ticket search: the stored search document, its indexes, and the query."""
