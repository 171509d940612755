from django.conf import settings
from django.urls import translate_url


def portal(request):
    """What the page shell needs on every page: contacts, the language links, the unread count."""
    path = request.get_full_path()
    languages = [{"code": code, "url": translate_url(path, code)} for code, _name in settings.LANGUAGES]
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"contacts": settings.PORTAL_CONTACTS, "language_links": languages, "unread_notifications": unread}
