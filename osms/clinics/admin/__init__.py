"""Back office of the clinics area (a package: each screen group in its own module)."""

from . import applications, clinics  # noqa: F401  (registers the ModelAdmins)
