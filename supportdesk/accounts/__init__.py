"""Sign-in protection: client address, lockouts and unlocking (django-axes underneath)."""
