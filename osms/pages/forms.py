from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the information pages"), required=False, strip=True)

    def clean_q(self) -> str:
        # A pasted paragraph is searched by its beginning rather than refused.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]
