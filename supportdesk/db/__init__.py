"""What the apps share about reading the database (``kept``: queries compiled once)."""
