"""The portal with no other service installed yet: every guarded link must fall back."""

from django.conf.urls.i18n import i18n_patterns

from .urls_stub_services import _core

urlpatterns = i18n_patterns(*_core, prefix_default_language=True)
