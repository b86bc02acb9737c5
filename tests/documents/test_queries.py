"""The 附件3 summary page costs the same queries for one application as for many."""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["authority", "province"])
def test_the_summary_page(client, role):
    if role == "authority":
        client.force_login(rf.approved("provincial", "350100-RS")[1])
    else:
        client.force_login(factories.province_officer())
        rf.forwarded(authority_code="350100-RS")
    url = reverse("documents:summary") + "?year=2026"
    one = count_queries(client, url)
    for _ in range(4):
        if role == "authority":
            rf.approved("provincial", "350100-RS")
        else:
            rf.forwarded(authority_code="350200-RS")
    assert count_queries(client, url) == one
    assert len(client.get(url).context["sheet"].rows) == 5
