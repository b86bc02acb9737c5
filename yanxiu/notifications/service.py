"""Notify users in the app and by e-mail.

E-mail goes through the background worker after the database commits, so a
slow mail server never holds up a request and a rolled-back change sends nothing.
"""

from django.conf import settings
from django.db import transaction

from yanxiu.core import clock

from .models import Message
from .tasks import send_notification_email


def _mail_body(body, link):
    """The e-mail's text: the message, then the page it points to as a full address."""
    return f"{body}\n\n{settings.SITE_URL.rstrip('/')}{link}" if link else body


def notify(recipients, subject, body, link=""):
    recipients = [user for user in recipients if user.is_active]
    now = clock.now()
    Message.objects.bulk_create(
        Message(recipient=user, subject=subject, body=body, link=link, created_at=now) for user in recipients
    )
    emails = sorted({user.email for user in recipients if user.email})
    if emails:
        full_body = _mail_body(body, link)
        transaction.on_commit(lambda: send_notification_email.enqueue(emails, subject, full_body))


def notify_each(messages):
    """Many users, each their own message: `messages` is [(user, subject, body, link)]. One insert
    for all the messages (an automatic assignment tells 300 experts their own counts at once)."""
    messages = [message for message in messages if message[0].is_active]
    now = clock.now()
    Message.objects.bulk_create(
        Message(recipient=user, subject=subject, body=body, link=link, created_at=now)
        for user, subject, body, link in messages
    )
    for user, subject, body, link in messages:
        if user.email:
            mail = ([user.email], subject, _mail_body(body, link))
            transaction.on_commit(lambda mail=mail: send_notification_email.enqueue(*mail))
