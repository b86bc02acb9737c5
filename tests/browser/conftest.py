"""Browser tests: Debian's Chromium driven through Playwright's sync API
against pytest-django's live server (SQLite, fixed clock from tests/conftest.py).

Playwright's sync API keeps an event loop in the test thread, which Django
would take for async code: allow the ORM there explicitly.
"""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import load_demo

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# An autosave is a 600 ms debounce plus one request; on a loaded 2-core machine a page can
# take seconds. A timeout only fails a test that hangs, so it is generous.
TIMEOUT_MS = 30_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run; never a downloaded browser."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is not installed: run `make system-deps` (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def seeded(transactional_db, demo_copy, settings):
    """The demo data: the 2026 call, reference data, institutions and users.

    Every browser test starts from the same freshly seeded demo: the live server needs committed
    data, so the demo is seeded once per worker and its copy loaded for each test (about 0.2 s
    against 1.8 s to seed, decision 0029), with its uploaded files in the test's MEDIA_ROOT and
    an empty cache (the page cache, the rate limits).
    """
    from yanxiu.demo import world as demo

    load_demo(demo_copy)
    return demo


@pytest.fixture
def login(request, chromium, live_server, seeded, tmp_path):
    """login("xmhy") -> a page in a fresh browser context, signed in as that user.

    Each user gets their own context (own cookies), like two people at two
    computers. When the test fails, every page is saved as a screenshot.
    """
    pages = {}
    violations = []

    def sign_in(username):
        context = chromium.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 1000}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        pages[username] = page
        # The pages run under the production Content-Security-Policy: any inline
        # script or handler it blocks shows here and fails the test.
        page.on(
            "console",
            lambda message: (
                violations.append(f"{username}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", seeded.DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.locator("header .who")).to_be_visible()
        return page

    yield sign_in
    failed = getattr(request.node, "browser_test_failed", False)
    for username, page in pages.items():
        if failed and not page.is_closed():
            path = tmp_path / f"{username}.png"
            page.screenshot(path=path, full_page=True)
            print(f"screenshot of {username}'s page: {path}")  # noqa: T201  (where to look after a failure)
        page.context.close()
    assert violations == [], "blocked by the Content-Security-Policy"
