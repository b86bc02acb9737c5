"""Query counts of list pages: the same number of queries for one row as for many.

    one = count_queries(client, url)      # the page with one row
    ...add rows...
    assert count_queries(client, url) == one

Each test also checks that the added rows are on the page, so a page that hides them (a
scoping mistake) cannot pass for a constant one.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """The number of database queries one GET of `url` costs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def page(client, url):
    return client.get(url).content.decode()
