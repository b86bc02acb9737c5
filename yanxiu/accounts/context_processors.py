from django.conf import settings


def session_limits(request):
    """The idle limit and its warning, for static/core/session.js (read from the body's data attributes)."""
    return {
        "session_idle_seconds": settings.YANXIU_SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.YANXIU_SESSION_WARNING_SECONDS,
    }
