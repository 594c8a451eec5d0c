"""The static web edition in a real browser (Debian's chromium, driven by playwright), served over HTTP."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .site_seed import MARKS, build_seed_site, tei_marks

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not Path(CHROMIUM).is_file():
    pytest.skip("chromium is not installed (Debian package chromium; `make setup` installs it as root)", allow_module_level=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Path]]]:
    """The seed site with its search index, served from 127.0.0.1 on a free port."""
    out, report, editions = build_seed_site(tmp_path_factory.mktemp("browser"), search=True)
    assert report.search_ok, report.search
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out.parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Served under a sub-folder, as GitHub Pages serves a project: relative links must hold.
    yield f"http://127.0.0.1:{server.server_port}/{out.name}/", editions
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(site: tuple[str, list[Path]]) -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield opened
    context.close()
    assert not errors, errors  # no script error and no missing file on any page a test opened


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _name(edition: Path) -> str:
    return "many-marks" if edition.name == "many-marks.xml" else edition.stem


def test_index_lists_and_filters(site: tuple[str, list[Path]], page: Any, shots: Path) -> None:
    base, editions = site
    page.goto(base + "index.html")
    items = page.locator(".edition-item")
    assert items.count() == len(editions)
    assert page.locator("#shown").inner_text() == f"{len(editions)} of {len(editions)} editions shown"
    page.get_by_label("1961").check()
    assert page.locator(".edition-item:visible").count() == 1
    assert "Kudryavtsev" in page.locator(".edition-item:visible").inner_text()
    page.get_by_label("1960").check()  # two values of one facet: either matches
    assert page.locator(".edition-item:visible").count() == 2
    page.locator("fieldset[data-facet=profile]").get_by_label("plain").check()  # across facets: all must
    assert page.locator(".edition-item:visible").count() == 0
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(f"document.querySelectorAll('.edition-item:not([hidden])').length == {len(editions)}")
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    page.locator(".edition-link", has_text="From the Journal").click()
    page.wait_for_url("**/editions/wilson-*.html")
    assert page.locator("h1").inner_text().startswith("From the Journal of S.M. Kudryavtsev")


@pytest.mark.parametrize("which", [0, 1, 2])
def test_every_turn_and_mark_is_shown(site: tuple[str, list[Path]], page: Any, shots: Path, which: int) -> None:
    base, editions = site
    edition = editions[which]
    page.goto(base + f"editions/{_name(edition)}.html")
    want = tei_marks(edition)
    text = page.locator(".edition-text")
    turns = text.locator(".tei-sp")
    assert turns.count() == want["sp"]
    for i in range(turns.count()):
        speaker = turns.nth(i).locator(":scope > .tei-speaker")
        assert speaker.is_visible() and speaker.inner_text().strip(), (edition.name, i)
    for name in (*MARKS, "pb", "note"):
        marks = text.locator(f".tei-{name}")
        assert marks.count() == want[name], (edition.name, name)
        for i in range(marks.count()):
            mark = marks.nth(i)
            mark.scroll_into_view_if_needed()
            assert mark.is_visible(), (edition.name, name, i)
            box = mark.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0
    # Marks are told apart visibly: a supplied word is bracketed, a gap greyed, an event in italics.
    styles = page.evaluate("""() => Object.fromEntries(['supplied','gap','vocal','sic','time'].map(n => {
        const e = document.querySelector('.edition-text .tei-' + n); if (!e) return [n, null];
        const s = getComputedStyle(e), b = getComputedStyle(e, '::before');
        return [n, {color: s.color, style: s.fontStyle, bg: s.backgroundColor, before: b.content}]; }))""")
    plain = page.evaluate("getComputedStyle(document.querySelector('.edition-text .tei-p')).color")
    if styles["supplied"]:
        assert styles["supplied"]["before"] == '"["' and styles["supplied"]["color"] != plain
    if styles["gap"]:
        assert styles["gap"]["style"] == "italic" and styles["gap"]["bg"] != "rgba(0, 0, 0, 0)"
    if styles["vocal"]:
        assert styles["vocal"]["style"] == "italic"
    page.screenshot(path=str(shots / f"{_name(edition)}.png"), full_page=True)
    # A download of the TEI and of the plain text is one click away and served.
    for link in page.locator(".downloads a").all():
        response = page.request.get(base + "editions/" + link.get_attribute("href"))
        assert response.ok and response.body()


def test_reported_turn_names_its_speaker(site: tuple[str, list[Path]], page: Any) -> None:
    base, editions = site
    page.goto(base + f"editions/{_name(editions[0])}.html#sp-5")
    label = page.locator("#sp-5 > .speaker-from-register")
    assert label.inner_text() == "Raul Castro (reported)"
    assert label.is_visible()


def test_register_link_goes_to_the_turn(site: tuple[str, list[Path]], page: Any, shots: Path) -> None:
    base, _ = site
    page.goto(base + "persons.html")
    person = page.locator("#castro-raul")
    assert person.locator("h2").inner_text() == "Raul Castro"
    link = person.locator("a.turn-link").nth(4)
    href = link.get_attribute("href")
    page.screenshot(path=str(shots / "persons.png"))
    link.click()
    page.wait_for_url("**/" + href)
    anchor = href.split("#", 1)[1]
    target = page.locator(f"[id='{anchor}']")
    assert target.get_attribute("data-who") == "castro-raul"
    assert page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                         " return r.top >= -1 && r.top < window.innerHeight; }", anchor)
    # And back from the turn's speaker to the register entry.
    page.locator(f"[id='{anchor}'] > .tei-speaker a").first.click()
    page.wait_for_url("**/persons.html#castro-raul")


def test_search_finds_an_edition_offline(site: tuple[str, list[Path]], page: Any, shots: Path) -> None:
    base, _ = site
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "search.html")
    box = page.locator("#search input")
    box.fill("Kudryavtsev")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    assert "From the Journal" in result.inner_text()
    page.screenshot(path=str(shots / "search.png"))
    result.click()
    page.wait_for_url("**/editions/wilson-*.html*")
    assert page.locator("h1").inner_text().startswith("From the Journal")
    assert requests and all(url.startswith(base) for url in requests)  # nothing fetched from elsewhere
    page.goto(base + "search.html")
    page.locator("#search input").fill("harbour winter")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    assert "Record of a Conversation with the Mayor" in page.locator(".pagefind-ui__result-link").first.inner_text()


def test_screenshots_were_saved(shots: Path) -> None:
    saved = sorted(p.name for p in shots.glob("*.png"))
    if not saved:
        pytest.skip("run with the other browser tests")
    assert all((shots / name).stat().st_size > 10_000 for name in saved)
    if shutil.which("true"):  # the folder is named so a reader can look at them
        print(f"screenshots in {shots}")
