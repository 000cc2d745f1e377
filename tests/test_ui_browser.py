"""The query UI in a real browser: offline, runs a catalogue query, renders Arabic, RTL page.

Drives Debian's chromium (``make browser`` installs it) through Playwright's sync API, against
the session's ``live_server`` on the full build. Screenshots go to /tmp/ui-en.png and
/tmp/ui-ar.png for a look by eye.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: `make browser` installs chromium"
)

ARABIC = re.compile(r"[\u0600-\u06FF]")
QUERY = "excom_2026_members"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened
    context.close()


def record_requests(page: Page) -> list[str]:
    """Return the list the page's requests (URLs) will be appended to."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def leaving(urls: list[str]) -> list[str]:
    """The URLs that would leave 127.0.0.1 (data: URLs stay in the page)."""
    return [
        url
        for url in urls
        if urlsplit(url).scheme != "data" and urlsplit(url).hostname != "127.0.0.1"
    ]


def run_active_query(page: Page) -> None:
    """Press the active tab's run button and wait for the results table."""
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").first.wait_for()


def test_the_editor_runs_a_catalogue_query_offline(page: Page, live_server: LiveServer) -> None:
    requests = record_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/")
    tabs = page.locator(".yasgui .tabsList .tab a[role=tab]")
    tabs.first.wait_for()
    assert tabs.count() == len(list((Path(__file__).parents[1] / "queries").glob("*.rq")))

    page.locator(f"#tab-{QUERY}").click()
    assert page.locator(f"#tab-{QUERY}").inner_text().startswith("Members elected to the")
    assert page.locator("#query-title").inner_text() == (
        "Members elected to the DCO Executive Committee for 2026, and who came first by votes"
    )
    assert page.locator("#query-description").inner_text().startswith("Every country that")
    assert "PREFIX gg:" in page.locator(".tabPanel.active .CodeMirror").inner_text()
    run_active_query(page)

    rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))"
    )
    assert len(rows) == 11  # what the query returns on the full build
    morocco = [cells for cells in rows if "MA" in cells]
    assert len(morocco) == 5
    assert all(any("المغرب" in cell for cell in cells) for cells in morocco)
    cell = page.locator(".tabPanel.active .yasr td", has_text="المغرب").first
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box is not None and box["width"] > 10 and box["height"] > 10
    assert ARABIC.search(cell.inner_text())

    page.screenshot(path="/tmp/ui-en.png", full_page=True)
    assert errors == []
    assert any(url == live_server.url + "/sparql" for url in requests)
    assert leaving(requests) == []


def test_the_arabic_page_is_right_to_left(page: Page, live_server: LiveServer) -> None:
    requests = record_requests(page)
    page.goto(f"{live_server.url}/?lang=ar&open={QUERY}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    title = page.locator("#query-title")
    assert title.inner_text().startswith("الدول المنتخبة لعضوية اللجنة التنفيذية")
    active = page.locator(".yasgui .tabsList .tab.active a[role=tab]")
    assert active.get_attribute("id") == f"tab-{QUERY}"
    assert ARABIC.search(active.inner_text())
    run_active_query(page)
    cell = page.locator(".tabPanel.active .yasr td", has_text="المغرب").first
    box = cell.bounding_box()
    assert box is not None and box["width"] > 10 and box["height"] > 10
    page.screenshot(path="/tmp/ui-ar.png", full_page=True)
    assert leaving(requests) == []


def test_the_catalogue_page_opens_a_query_in_the_editor(
    page: Page, live_server: LiveServer
) -> None:
    requests = record_requests(page)
    page.goto(f"{live_server.url}/queries?lang=fr")
    article = page.locator(f"article#{QUERY}")
    assert article.locator("h2").inner_text().startswith("Membres élus au Comité exécutif")
    article.get_by_text("Ouvrir dans l'éditeur").click()
    page.locator(f".yasgui .tabsList .tab.active a#tab-{QUERY}").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert leaving(requests) == []
