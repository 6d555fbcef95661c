"""The JSON API under /api/v1/ (issue 16; docs/api.md): the pages' services and
visibility rule behind token or session authentication."""
