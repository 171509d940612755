from django.conf import settings
from django.urls import translate_url


def local_path(request) -> str:
    """The request's path and query as a link on this site: never `//host/...` (or `/\\host`), which a
    browser would take for another site, whatever path the request came with."""
    path = "/" + request.path.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


def portal(request):
    """What the page shell needs on every page: contacts, the language links, the unread count.

    The language links are computed only when a template reads them: the page shell of anonymous
    pages is cached per language and path (base.html), so most requests never need them."""

    def language_links():
        path = local_path(request)
        return [{"code": code, "url": translate_url(path, code)} for code, _name in settings.LANGUAGES]

    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"contacts": settings.PORTAL_CONTACTS, "language_links": language_links, "unread_notifications": unread}
