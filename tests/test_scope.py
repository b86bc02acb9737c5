"""Which tests the PostgreSQL run of .ci/run keeps (YANXIU_TEST_SCOPE=engine, decision 0033),
asked of these tests' own items."""

import pytest

from tests.conftest import depends_on_engine


def test_a_test_that_never_opens_the_database_runs_in_the_sqlite_run_only(request):
    assert not depends_on_engine(request.node)


def test_a_test_that_opens_the_database_runs_on_both_engines(request, db):
    assert depends_on_engine(request.node)


@pytest.mark.django_db
def test_the_django_db_marker_opens_the_database(request):
    assert depends_on_engine(request.node)


def test_a_transactional_test_opens_the_database(request, transactional_db):
    assert depends_on_engine(request.node)


@pytest.mark.browser
def test_a_browser_journey_runs_in_the_sqlite_run_only_though_it_opens_the_database(request, db):
    assert not depends_on_engine(request.node)
