"""The intake list's order (tier, authority, the authority's rank) reads Application.authority_code,
a copy of the host's authority's code: it follows the institution and the authority (signals.py),
and within one call the page is an index scan (PostgreSQL)."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests import factories
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application

pytestmark = pytest.mark.django_db


def submitted(authority_code):
    host = factories.staff(factories.institution(authority_code))
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    return application


def intake_order(client):
    return [row.pk for row, _flags in client.get(reverse("applications:inbox")).context["rows"]]


def test_the_intake_follows_the_authority_code_and_its_changes(client):
    xiamen, fuzhou = submitted("350200-RS"), submitted("350100-RS")
    assert Application.objects.get(pk=fuzhou.pk).authority_code == "350100-RS"
    client.force_login(factories.province_officer())
    assert intake_order(client) == [fuzhou.pk, xiamen.pk]

    moved = fuzhou.institution
    moved.authority = factories.authority("350500-RS")  # the institution moves to another authority
    moved.save()
    assert Application.objects.get(pk=fuzhou.pk).authority_code == "350500-RS"
    assert intake_order(client) == [xiamen.pk, fuzhou.pk]

    quanzhou = moved.authority
    quanzhou.code = "350000-XX"  # a corrected code, in the admin
    quanzhou.save()
    assert Application.objects.get(pk=fuzhou.pk).authority_code == "350000-XX"
    assert intake_order(client) == [fuzhou.pk, xiamen.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's choice: PostgreSQL")
def test_one_calls_intake_page_is_an_index_scan_without_a_sort():
    application = submitted("350100-RS")
    applications = Application.objects.exclude(state=ApplicationState.DRAFT).filter(call=application.call)
    page = applications.order_by("tier", "authority_code", "authority_rank", "pk").values_list("pk", flat=True)[:100]
    sql, params = page.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A tiny table is cheaper to scan and sort: forbid both, so that what remains is what the
        # index can do. Without an index in this order the plan would still have to Sort.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "application_intake_order" in plan
    assert "Sort" not in plan


def test_the_intake_filters_choose_by_id_and_refuse_a_malformed_one_clearly(client):
    """The year, authority and domain filters are chosen among (id, name) values (issue 13)."""
    from yanxiu.reference.models import ProfessionalDomain

    fuzhou, xiamen = submitted("350100-RS"), submitted("350200-RS")
    other_domain = ProfessionalDomain.objects.exclude(pk=fuzhou.domain_id).first()
    Application.objects.filter(pk=xiamen.pk).update(domain=other_domain)
    client.force_login(factories.province_officer())

    def shown(**params):
        response = client.get(reverse("applications:inbox"), params)
        assert response.status_code == 200
        return {row.pk for row, _flags in response.context["rows"]}, response

    assert shown(domain=fuzhou.domain_id)[0] == {fuzhou.pk}
    assert shown(domain=other_domain.pk)[0] == {xiamen.pk}
    assert shown(authority=xiamen.institution.authority_id)[0] == {xiamen.pk}
    assert shown(call=fuzhou.call_id)[0] == {fuzhou.pk, xiamen.pk}
    _rows, response = shown(domain="abc")  # malformed: a message, not a server error or a silent filter
    assert "domain" in response.context["filters"].errors
    assert "请从列表中选择" in response.content.decode()  # shown at the filter, in Chinese
    assert 'option value="' + str(fuzhou.domain_id) + '"' in response.content.decode()
