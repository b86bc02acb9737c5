"""The statistics page in a real browser: the charts draw (SVG with data), a card's number
is the number of rows of the list it links to, and an authority sees only its own."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def card_value(page, key):
    return int(page.locator(f'[data-card="{key}"] [data-value]').inner_text())


def test_the_province_reads_the_charts_and_follows_a_card_to_its_list(login):
    page = login("province")
    page.get_by_role("link", name="统计分析").click()
    expect(page.locator("h1")).to_contain_text("统计分析")
    funnel = page.locator('[data-chart="funnel"] svg')
    expect(funnel).to_be_visible()
    # The funnel draws one shape per stage with its number as the label.
    expect(page.locator('[data-chart="funnel"] svg text').first).to_be_visible()
    forwarded = card_value(page, "forwarded")
    assert forwarded > 0
    page.locator('[data-card="forwarded"]').click()
    expect(page.locator("p.help").first).to_have_text(re.compile(rf"^共 {forwarded} 项"))


def test_an_authority_sees_only_its_own_institutions(login):
    page = login("nyt")
    page.goto("/statistics/")
    expect(page.locator("h1")).to_contain_text("省农业农村厅")
    assert page.locator("#id_authority").count() == 0
    rows = page.locator('[data-table="authority"] tr th[scope="row"]')
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text("福建省农业农村厅人事处")
