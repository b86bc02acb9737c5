from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_notification_email(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
