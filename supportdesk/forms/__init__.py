"""What every form of the project shares: how its fields are printed (``rendering``)."""
