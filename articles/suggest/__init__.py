"""Suggestions: a customer's text in, published articles out (docs/architecture.md)."""
