"""The benchmark dataset: imported only by ``manage.py bench``, never by the product."""
