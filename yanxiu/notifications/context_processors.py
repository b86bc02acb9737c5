from .models import unread_count


def unread_messages(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_message_count": unread_count(user.pk)}
