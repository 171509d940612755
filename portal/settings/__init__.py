"""Settings split by environment: base (shared), dev, test, prod.

Every value that differs between machines comes from an environment variable; the README lists
them all. `DJANGO_SETTINGS_MODULE` picks the module (manage.py defaults to dev).
"""
