"""Macros: saved replies with placeholders and actions (issue 15)."""
