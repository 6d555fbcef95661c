"""The public help center: what customers read without signing in (issue 14).

Only published revisions ever reach these pages: never drafts, notes, editors'
names or anything about tickets. ``content`` reads, ``feedback`` writes,
``views`` serves.
"""
