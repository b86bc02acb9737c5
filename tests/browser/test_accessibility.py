"""Accessibility (issue 20): no serious or critical axe-core violation on any page of any role.

One login per user; from the home page every page its navigation reaches, the pages those link
to (one object of each kind: a list's detail, an editor) and one step further, each checked with
axe-core (tests/browser/axe.py) in a 1366 px window, which no page may be wider than. Pages are told apart by their address with the numbers taken out,
so one application's editor stands for every application's; a page of the same kind is checked
once per role (the two institution users share theirs), and the pages every user has (password,
two-factor, messages, API tokens) once in all. Visitors' pages are checked without logging in.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from yanxiu.accounts.models import User
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.delivery.domain import certificates
from yanxiu.delivery.models import Certificate, Programme

pytestmark = pytest.mark.browser

# A user of every role; users of one role share the pages checked.
ROLES = {
    "zzzz": "institution",  # a draft in the open 2027 call: the editor
    "fzxx": "institution",  # a programme run, attended and closed: the delivery pages
    "nyt": "authority",  # a national batch forwarded
    "province": "province",
    "zj_huang": "expert",  # an open review task
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditor": "auditor",
}
# Pages no link reaches (yet), checked even so.
EXTRA = {
    "nyt": ["/documents/import/"],
    "province": ["/documents/import/"],
}
# The same page for every user but for the header: checked for the first user only.
COMMON = re.compile(r"^/(account/|messages/)")
DEPTH = 3
# The commonest office screen: no page is wider (decision 0018).
WIDTH = 1366

# Not pages: files, downloads, signing out, the API and its docs, Django's own admin site.
SKIP = re.compile(
    r"\.(xlsx|docx|pdf|json|png|jpg|csv|zip)$|/download/$|/files/N/$|/attachments/N/$|/scans/N/$|/id/$"
    r"|^/logout/|^/api/|^/admin/|/read/$"
)


def page_kind(path):
    return re.sub(r"\d+", "N", urlsplit(path).path)


def links(page):
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "anchors => anchors.map((a) => a.getAttribute('href'))"
    )
    for href in hrefs:
        parts = urlsplit(href)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(page, start, checked, found):
    """Visit `start` and what it links to, DEPTH steps deep, running axe on each kind of page not
    `checked` yet; the paths visited. The user's own navigation (the first two steps) is always
    followed (but for the pages everyone has), so one user's pages do not hide the links of
    another of the same role."""
    visited, kinds = [], set()
    queue = [(path, 0) for path in start]
    while queue:
        path, depth = queue.pop(0)
        kind = page_kind(path)
        if kind in kinds or SKIP.search(kind) or ((depth > 1 or COMMON.search(kind)) and kind in checked):
            continue
        kinds.add(kind)
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a link to a file the pattern did not know
            if "Download is starting" in str(error):
                continue
            raise
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(path)
        if kind not in checked:
            checked.add(kind)
            found.extend(f"{path}\n  {violation}" for violation in serious_violations(page))
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > WIDTH:
                found.append(f"{path}\n  {width} px wide in a {WIDTH} px window")
        if depth < DEPTH:
            queue.extend((link, depth + 1) for link in links(page))
    return visited


def confirmation_page(page, found):
    """The confirmation step every irreversible action shows (core/confirm.html), which no link
    reaches: closing the open 2027 call, left unconfirmed."""
    call = Call.objects.get(year=2027)
    page.goto(f"/calls/{call.pk}/")
    page.get_by_test_id("toggle-open").click()
    expect(page.get_by_test_id("confirmation")).to_be_visible()
    found.extend(f"{page.url} (confirmation)\n  {violation}" for violation in serious_violations(page))
    return page.url


def test_no_serious_axe_violation_on_any_page_of_any_role(login, chromium, live_server):
    host = User.objects.get(username="fzxx")
    programme = Programme.objects.get(application__institution=host.institution)
    with clock.frozen_at("2026-11-02T10:00:00+08:00"):  # after the class: its certificates
        certificates.issue(programme, host)
    certificate = Certificate.objects.filter(trainee__programme=programme).first()

    found, visited, checked, common = [], {}, {}, set()
    for username, role in ROLES.items():
        page = login(username)
        page.set_viewport_size({"width": WIDTH, "height": 768})
        role_checked = checked.setdefault(role, set())
        role_checked |= common
        visited[username] = crawl(page, ["/", *EXTRA.get(username, [])], role_checked, found)
        if username == "province":
            visited[username].append(confirmation_page(page, found))
        common |= {kind for kind in role_checked if COMMON.search(kind)}
    visitor = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": WIDTH, "height": 768})
    try:
        public = [
            "/login/",
            "/p/programmes/",
            "/p/publicity/",
            f"/p/survey/{programme.survey_token}/",
            "/p/verify/",
            f"/p/verify/{certificate.token}/",
            "/p/verify/no-such-certificate/",  # the Chinese error page
        ]
        visited["visitor"] = crawl(visitor.new_page(), public, set(), found)
    finally:
        visitor.close()

    if found:
        pytest.fail("serious or critical axe-core violations, pages too wide:\n" + "\n".join(found), pytrace=False)
    # The crawl reached each role's pages, not only its home page.
    expected = {
        "institution": {"/applications/N/edit/", "/applications/N/preview/", "/delivery/N/attendance/"},
        "authority": {"/applications/inbox/", "/batches/N/", "/documents/import/", "/statistics/"},
        "province": {
            "/reviews/N/assignments/",
            "/reviews/experts/N/",
            "/selection/N/plan/",
            "/selection/N/publicity/",
            "/calls/N/",
        },
        "expert": {"/reviews/mine/", "/reviews/tasks/N/", "/account/password/", "/account/otp/"},
        "auditor": {"/audit/"},
    }
    assert {role: kinds - checked[role] for role, kinds in expected.items()} == {role: set() for role in expected}
    assert {*public, f"/p/programmes/{programme.pk}/"} - set(visited["visitor"]) == set()
