"""The statistics page: exact figures, each organisation's scope, constant queries, exports."""

import io
import json
import re
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.statistics.domain import figures

pytestmark = pytest.mark.django_db


def in_state(application, state, **fields):
    """Put an application at a later stage directly: these tests count, they don't walk the workflow."""
    Application.objects.filter(pk=application.pk).update(state=state, **fields)
    return application


@pytest.fixture
def world():
    """Two authorities, each with institutions and applications at several stages."""
    fz, xm = factories.authority("350100-RS"), factories.authority("350200-RS")
    fz_host = factories.staff(factories.institution("350100-RS"))
    xm_host = factories.staff(factories.institution("350200-RS"))
    made = {
        "fz_draft": factories.draft("provincial", actor=fz_host),
        "fz_submitted": in_state(factories.complete("provincial", actor=fz_host), S.SUBMITTED),
        "fz_forwarded": in_state(factories.complete("provincial", actor=fz_host), S.FORWARDED),
        "fz_demo": in_state(factories.complete("provincial", actor=fz_host), S.PROVINCIAL_DEMONSTRATION),
        "fz_national": in_state(factories.complete("national", actor=fz_host), S.MINISTRY_SELECTED),
        "fz_fallback": in_state(
            factories.complete("national", actor=fz_host), S.PROVINCIAL_ORDINARY, fallback_from_national=True
        ),
        "xm_forwarded": in_state(factories.complete("provincial", actor=xm_host), S.FORWARDED),
        "xm_ordinary": in_state(factories.complete("provincial", actor=xm_host), S.PROVINCIAL_ORDINARY),
    }
    return {
        "fz": fz,
        "xm": xm,
        "province": factories.province_officer(),
        "fz_reviewer": factories.reviewer(fz),
        "fz_host": fz_host,
        **made,
    }


def card_values(scope):
    return {card.key: card.value for card in figures.cards(scope)}


def test_the_province_sees_every_figure_exactly(world):
    scope = figures.Scope(user=world["province"], call=factories.call_2026())
    values = card_values(scope)
    assert {
        k: values[k] for k in ("submitted", "forwarded", "demonstration", "ordinary", "recommended", "ministry")
    } == {
        "submitted": 7,  # every application but the draft
        "forwarded": 6,
        "demonstration": 1,
        "ordinary": 2,
        "recommended": 2,  # taken by the ministry, and the one that fell back
        "ministry": 1,
    }
    funnel = figures.funnel(scope)
    assert funnel.series == [("项目数", [8, 7, 6, 6, 4, 0])]


def test_an_authority_counts_its_own_institutions_only(world):
    scope = figures.Scope(user=world["fz_reviewer"], call=factories.call_2026())
    values = card_values(scope)
    # Its institution's draft is the institution's own; 厦门's applications are not its business.
    assert (values["submitted"], values["forwarded"], values["ordinary"]) == (5, 4, 1)
    assert figures.by_authority(scope).categories == [world["fz"].name]


def test_an_authority_cannot_look_at_another_authority_through_the_filter(client, world):
    client.force_login(world["fz_reviewer"])
    response = client.get(reverse("statistics:index"), {"authority": world["xm"].pk})
    assert response.status_code == 200
    assert "authority" not in response.context["form"].fields
    assert response.context["scope"].authority is None
    forwarded = {card.key: card.value for card in response.context["cards"]}["forwarded"]
    assert forwarded == 4


def test_the_province_filters_by_authority_and_tier(world):
    call = factories.call_2026()
    by_xm = figures.Scope(user=world["province"], call=call, authority=world["xm"])
    assert card_values(by_xm)["submitted"] == 2
    national = figures.Scope(user=world["province"], call=call, tier="national")
    assert card_values(national)["submitted"] == 2


@pytest.mark.parametrize("who", ["fz_host", "expert"])
def test_institutions_and_experts_are_refused(client, world, who):
    user = world["fz_host"] if who == "fz_host" else factories.user(role="expert")
    client.force_login(user)
    for url in (reverse("statistics:index"), reverse("statistics:data"), reverse("statistics:export", args=["funnel"])):
        response = client.get(url)
        assert response.status_code == 403
        assert "cards" not in (response.context or {})


def test_each_card_links_to_a_list_with_as_many_rows(client, world):
    client.force_login(world["province"])
    page = client.get(reverse("statistics:index"))
    for card in page.context["cards"]:
        if not card.url.startswith(reverse("applications:inbox")):
            continue
        listed = client.get(card.url)
        assert listed.context["page"].paginator.count == card.value, card.key


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_page_costs_the_same_queries_for_few_and_many_rows(client):
    officer = factories.province_officer()
    client.force_login(officer)
    host = factories.staff()
    in_state(factories.complete("provincial", actor=host), S.FORWARDED)
    url = reverse("statistics:index")
    few = count_queries(client, url)
    for authority_code in ("350200-RS", "350500-RS", "350600-RS"):
        other = factories.staff(factories.institution(authority_code))
        for _ in range(3):
            in_state(factories.complete("provincial", actor=other), S.PROVINCIAL_ORDINARY)
    assert count_queries(client, url) == few


def test_the_json_holds_the_same_numbers_as_the_page(client, world):
    client.force_login(world["province"])
    data = client.get(reverse("statistics:data")).json()
    assert data["call"] == 2026
    assert {c["key"]: c["value"] for c in data["cards"]}["forwarded"] == 6
    funnel = next(c for c in data["charts"] if c["key"] == "funnel")
    assert funnel["series"][0]["values"] == [8, 7, 6, 6, 4, 0]


def test_a_chart_exports_its_numbers_as_numbers_and_names_as_text(client, world):
    # A name that looks like a formula stays text in the sheet.
    world["fz"].name = '=HYPERLINK("http://evil.example/","x")'
    world["fz"].save()
    client.force_login(world["province"])
    response = client.get(reverse("statistics:export", args=["authority"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=6)]
    assert rows == [[world["fz"].name, 5, 4, 3], [world["xm"].name, 2, 2, 1]]
    assert sheet.cell(5, 1).data_type == "s"
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_an_unknown_chart_is_a_404_with_a_chinese_reason(client, world):
    client.force_login(world["province"])
    response = client.get(reverse("statistics:export", args=["nope"]))
    assert response.status_code == 404


def test_a_malformed_filter_keeps_the_page_and_says_why(client, world):
    client.force_login(world["province"])
    response = client.get(reverse("statistics:index"), {"call": "abc", "tier": "<script>"})
    assert response.status_code == 200
    assert response.context["scope"].call.year == 2026
    assert response.context["form"].errors


def test_the_charts_data_is_embedded_as_json_not_script(client, world):
    client.force_login(world["province"])
    html = client.get(reverse("statistics:index")).content.decode()
    embedded = re.search(r'<script id="statistics-data" type="application/json">(.*?)</script>', html, re.S)
    keys = [chart["key"] for chart in json.loads(embedded.group(1))]
    assert keys == list(figures.CHARTS)


def test_a_pie_of_zeros_says_no_data_beside_its_table_of_zeros(client, world):
    """录取学员职称结构 with no admitted trainee: four equal quarters before (decision 0017)."""
    client.force_login(world["province"])
    html = client.get(reverse("statistics:index")).content.decode()
    section = html.split('id="chart-title_level"')[1].split("</section>")[0]
    assert '<p class="chart chart-empty" data-testid="chart-empty-title_level">暂无数据</p>' in section
    assert "data-chart=" not in section
    assert re.findall(r'<td class="num">([^<]*)</td>', section) == ["0", "0", "0", "0"]
    assert 'data-chart="tier"' in html  # a pie with numbers is drawn
    embedded = json.loads(
        re.search(r'<script id="statistics-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert {chart["key"]: chart["empty"] for chart in embedded}["title_level"] is True
    assert {chart["key"]: chart["empty"] for chart in embedded}["tier"] is False


@pytest.mark.parametrize(
    ("kind", "values", "empty"),
    [("pie", [0, 0], True), ("pie", [0, 1], False), ("funnel", [0, 0], True), ("bar", [0, 0], False)],
)
def test_only_a_chart_of_shares_with_nothing_to_share_is_empty(kind, values, empty):
    chart = figures.Chart("k", "标题", kind, ["甲", "乙"], [("人数", values)])
    assert chart.has_nothing_to_draw is empty
    assert figures.Chart("k", "标题", "bar", [], []).has_nothing_to_draw is True
