"""Merging two tickets of the same inbox (issue 15): services and the mail rule."""
