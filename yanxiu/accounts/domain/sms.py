"""Text messages, through a pluggable gateway like Django's e-mail backends.

`YANXIU_SMS_BACKEND` is the dotted path of a class with `send_messages(messages)`; each message
is a `TextMessage(to, body)`. Two come with the system:

- `ConsoleBackend` (the default): writes the message to the log and to standard output, like
  Django's console e-mail backend, so `make run` shows the code on the terminal;
- `LocmemBackend` (tests): keeps the messages in `yanxiu.accounts.domain.sms.outbox`, like
  `django.core.mail.outbox`.

A production gateway (the province's SMS platform) is one more class of the same shape.
"""

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("yanxiu.sms")

outbox = []  # LocmemBackend's messages, like django.core.mail.outbox


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class ConsoleBackend:
    def send_messages(self, messages):
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.body)
            sys.stdout.write(f"[短信] 发往 {message.to}：{message.body}\n")
            sys.stdout.flush()
        return len(messages)


class LocmemBackend:
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def backend():
    return import_string(settings.YANXIU_SMS_BACKEND)()


def send_sms(to, body):
    return backend().send_messages([TextMessage(to, body)])
