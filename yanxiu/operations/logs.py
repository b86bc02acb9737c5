"""Logs as JSON lines with the request they belong to (LOG_FORMAT=json, the default in production).

Each line carries a request id (nginx's X-Request-ID, or a new one; also sent back in the
response), the user's id and their organisation's (`institution:12`, `authority:3`) — ids only,
never a name, an ID number, a mobile or a form's content. Messages are the code's own; the
request logger's lines name the path, never the query string or the body."""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished, request_started

_context: ContextVar[dict | None] = ContextVar("yanxiu_log_context", default=None)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current():
    return _context.get() or {}


class RequestContextMiddleware:
    """After the authentication middleware: who is asking, for every log line of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        user = getattr(request, "user", None)
        context = {"request_id": request_id}
        if user is not None and user.is_authenticated:
            context["user_id"] = user.pk
            if user.institution_id:
                context["organisation"] = f"institution:{user.institution_id}"
            elif user.authority_id:
                context["organisation"] = f"authority:{user.authority_id}"
        _context.set(context)  # until the request ends: Django logs a 4xx/5xx after the middleware
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _forget(**kwargs):
    _context.set(None)


request_started.connect(_forget, dispatch_uid="yanxiu_log_context_started")
request_finished.connect(_forget, dispatch_uid="yanxiu_log_context_finished")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **current(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
