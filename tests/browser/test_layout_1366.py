"""Layout at 1366 × 768, the commonest office screen (issue 20): the navigation on one line, the
schedule table whole beside the checks panel, the statistics page no wider than the window."""

import pytest
from playwright.sync_api import expect

from yanxiu.applications.models import Application

pytestmark = pytest.mark.browser

WIDTH = 1366

NAV = """() => {
  const header = document.querySelector("header.top");
  const tops = [...header.querySelectorAll("nav a")].map((a) => Math.round(a.getBoundingClientRect().top));
  const heights = [...header.querySelectorAll("nav a")].map((a) => Math.round(a.getBoundingClientRect().height));
  const lineHeight = parseFloat(getComputedStyle(header.querySelector("nav a")).lineHeight);
  return {
    links: tops.length,
    lines: new Set(tops).size,
    wrappedLinks: heights.filter((height) => height > 1.5 * lineHeight).length,
    headerHeight: Math.round(header.getBoundingClientRect().height),
    headerOverflow: header.scrollWidth > header.clientWidth,
  };
}"""

# Each header cell and each field of the first row, left and right edges, against the scrolling box.
TABLE = """(tbodyId) => {
  const table = document.getElementById(tbodyId).closest("table");
  const box = table.closest(".rows-scroll").getBoundingClientRect();
  const within = (element) => {
    const rect = element.getBoundingClientRect();
    return rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5 && rect.right <= window.innerWidth;
  };
  const cells = [...table.querySelectorAll("thead th")];
  return {
    headers: Object.fromEntries(cells.map((th) => [th.textContent.trim(), within(th)])),
    fields: [...table.querySelectorAll("tbody tr:first-child td > :is(input, select)")].filter((f) => !within(f)).map((f) => f.name),
    scrolls: table.closest(".rows-scroll").scrollWidth > table.closest(".rows-scroll").clientWidth,
  };
}"""


def at_1366(page):
    page.set_viewport_size({"width": WIDTH, "height": 768})
    return page


def test_the_navigation_is_one_line_for_the_role_with_most_links(login):
    office = at_1366(login("province"))
    office.goto("/applications/inbox/")
    nav = office.evaluate(NAV)
    # Ten: no admin-site link since the office is no superuser (decision 0019); 本单位账号 since
    # `province` administers the office's officers (decision 0024).
    assert nav == {"links": 10, "lines": 1, "wrappedLinks": 0, "headerHeight": 56, "headerOverflow": False}


def test_the_schedule_table_shows_every_column_beside_the_checks_panel(login):
    host = at_1366(login("zzzz"))
    application = Application.objects.get(call__year=2027, institution__name="漳州智造科技有限公司", tier="provincial")
    host.goto(f"/applications/{application.pk}/edit/")
    expect(host.locator("#sessions-rows tr")).to_have_count(4)
    sessions = host.evaluate(TABLE, "sessions-rows")
    assert sessions == {
        "headers": dict.fromkeys(["日期", "时段", "内容", "主讲人", "方式", "线上/线下", "学时", "删除"], True),
        "fields": [],
        "scrolls": False,
    }
    # A date is shown whole in its field.
    date = host.locator('[name="sessions-0-date"]')
    assert date.evaluate("(input) => input.scrollWidth <= input.clientWidth") is True
    assert host.evaluate(NAV)["lines"] == 1
    lecturers = host.evaluate(TABLE, "lecturers-rows")
    assert lecturers["headers"]["删除"] is True
    assert lecturers["scrolls"] is False


def test_the_statistics_page_is_no_wider_than_the_window(login):
    office = at_1366(login("province"))
    office.goto("/statistics/")
    expect(office.locator('[data-chart="years"] svg')).to_be_visible()
    assert office.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    assert office.evaluate(NAV)["lines"] == 1
