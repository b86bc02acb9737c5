"""JSON log lines with the request id, user id and organisation, never personal data."""

import io
import json
import logging

import pytest

from tests import factories
from yanxiu.operations.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_log_line_names_the_request_the_user_and_the_organisation_and_nothing_personal(client, lines):
    staff = factories.staff()
    client.force_login(staff)
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-42")
    assert (response.status_code, response["X-Request-ID"]) == (404, "req-42")
    [line] = lines()
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "django.request",
        "Not Found: /no-such-page/",
    )
    assert (line["request_id"], line["user_id"], line["organisation"]) == (
        "req-42",
        staff.pk,
        f"institution:{staff.institution_id}",
    )
    assert staff.username not in json.dumps(line, ensure_ascii=False)


def test_a_malformed_request_id_is_replaced(client, lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="<script>")
    [line] = lines()
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32
    assert "user_id" not in line
