"""The whole OpenAPI schema, explored property-based (schemathesis): no server error, and no
response that contradicts the schema, for a province officer's token and for an institution's."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests import factories
from tests.conftest import shared_world
from tests.delivery.helpers import add_trainees, host_of, planned

schema = schemathesis.openapi.from_wsgi("/api/schema", get_wsgi_application())

EXPLORE = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """Called straight through WSGI, Django would close the database connection after each request
    (close_old_connections), ending the test's transaction on PostgreSQL; the test client does this too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _tokens():
    programme = planned()
    add_trainees(programme, 2)
    host = host_of(programme)
    factories.complete("provincial", actor=host)
    users = {"province": factories.province_officer(), "host": host}
    return {name: factories.api_token(user, name="schemathesis")[1] for name, user in users.items()}


@pytest.fixture(scope="module")
def tokens(request):
    """The world the API is explored on, built once for the module (each test rolls back to it)."""
    yield from shared_world(request, _tokens)


@pytest.fixture(params=["province", "host"])
def token(request, tokens):
    return tokens[request.param]


@schema.parametrize()
@EXPLORE
@pytest.mark.django_db
def test_the_api_answers_every_request_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
