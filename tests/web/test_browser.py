"""End to end in a real headless Chromium (Debian's ``chromium`` driven by Playwright),
against ``reportgen serve`` started as a process on 127.0.0.1: log in, upload the demo
export, correct a column's role, write an Indstilling and watch the preview change, build,
download the PDF, the Word file and the bilag through the links on the page and read their
text; a bad upload and a CSRF-less POST; then the server is killed during a second build
and restarted, and a new build runs. Screenshots of every page, at 1280×800 and on a
laptop's 1366×768, go to tests/web/screenshots/ (git-ignored); the live preview must stay
in view beside the text fields at both sizes, and keyboard focus must be visible."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.web.conftest import DEMO
from tests.web.server import PASSWORD, Server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).with_name("screenshots")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--lang=da"]  # with LANGUAGE=da (and chromium-l10n): date fields and file buttons in Danish

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                                "(apt-get install chromium; .ci/run does it when root)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("e2e") / "data")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def page(server):
    playwright = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                    env={**os.environ, "LANGUAGE": "da", "LANG": "da_DK.UTF-8"})
        context = browser.new_context(viewport=SIZES[0], locale="da-DK", accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        browser.close()


SIZES = ({"width": 1280, "height": 800}, {"width": 1366, "height": 768})


def shot(page, name: str) -> None:
    """The whole page at each size; no part of it wider than the window."""
    for size in reversed(SIZES):  # back at 1280 × 800 afterwards
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= size["width"], f"{name}: the page is {wide} px wide at {size['width']} px"


def preview_stays_beside_the_fields(page) -> None:
    """At both sizes, with the form scrolled to its end, the preview is still in the window
    to the right of the text fields and shows a readable part of the document."""
    for size in SIZES:
        page.set_viewport_size(size)
        page.locator("#f-beslutning").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        box = page.locator("iframe.doc").bounding_box()
        field = page.locator("#f-beslutning").bounding_box()
        assert box is not None and field is not None
        assert box["x"] >= field["x"] + field["width"], "the preview is not beside the fields"
        assert box["y"] >= 0 and box["y"] + 200 <= size["height"], f"the preview scrolled away: {box}"
        assert box["width"] >= 500 and min(box["height"], size["height"] - box["y"]) >= 400, box
        page.screenshot(path=str(SHOTS / f"07b-tekster-rullet-{size['width']}.png"))
    page.set_viewport_size(SIZES[0])
    page.evaluate("window.scrollTo(0, 0)")


def test_round_trip_in_browser(server, page):
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    assert page.url.endswith("/log-ind")
    shot(page, "01-log-ind")
    page.keyboard.press("Tab")  # keyboard focus: the skip link appears, with a visible outline
    focus = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [document.activeElement.textContent, s.outlineStyle, s.outlineWidth]; })()")
    assert focus == ["Spring til indholdet", "solid", "3px"], focus
    page.screenshot(path=str(SHOTS / "01b-log-ind-fokus-1280.png"))
    page.get_by_label("Brugernavn").fill("admin")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sager")
    shot(page, "02-sager-tom")

    # a bad upload: a PDF with a .csv name is refused, with the reason
    page.goto(server.url + "/sager/ny")
    bad = SHOTS.parent / "screenshots" / "forkert.csv"
    bad.write_bytes(b"%PDF-1.7\nikke en eksport\n")
    page.get_by_label("Titel", exact=True).fill("Forkert fil")
    page.get_by_label("Kommune", exact=True).fill("Norddjurs Kommune")
    page.get_by_label("Udvalg", exact=True).fill("Arbejdsmarkedsudvalget")
    page.get_by_label("Besvarelser (CSV, XLSX eller SPSS .sav)").set_input_files(str(bad))
    page.get_by_role("button", name="Opret sag og foreslå kortlægning").click()
    page.wait_for_selector("div.error")
    assert "filen er en PDF-fil" in page.inner_text("div.error")
    shot(page, "03-ny-sag-forkert-fil")

    page.get_by_label("Titel", exact=True).fill("Borgerundersøgelsen 2024 i Norddjurs")
    page.get_by_label("Mødedato").fill("2030-06-17")
    assert page.inner_text("#moededato-da") == "mandag den 17. juni 2030"  # the date in Danish words
    page.get_by_label("Besvarelser (CSV, XLSX eller SPSS .sav)").set_input_files(str(DEMO / "besvarelser.csv"))
    page.get_by_label("Spørgsmålskatalog (valgfrit)").set_input_files(str(DEMO / "katalog.csv"))
    page.get_by_label("Antal inviterede pr. kommune (valgfrit)").set_input_files(str(DEMO / "inviterede.csv"))
    shot(page, "04-ny-sag")
    page.get_by_role("button", name="Opret sag og foreslå kortlægning").click()
    page.wait_for_url("**/kortlaegning")
    case_url = page.url.rsplit("/", 1)[0]
    shot(page, "05-kortlaegning")

    # correct one column's role: 'alder' becomes Ignorér; the table is redrawn at once
    with page.expect_response(lambda r: r.url.endswith("/kortlaegning/rolle")):
        page.get_by_label("Rolle for alder").select_option("ignorer")
    # expect() polls from Playwright's own world; a string wait_for_function would need eval,
    # which the page's CSP (script-src 'self') rightly refuses when the first check fails
    expect(page.locator("[data-column=alder]")).to_have_value("ignorer")
    shot(page, "06-kortlaegning-rettet")
    import yaml

    case_file = yaml.safe_load(page.request.get(case_url + "/sagsfil").text())
    assert "alder" not in case_file["data"]["kolonner"]

    page.goto(case_url + "/tekster")
    page.wait_for_selector("iframe.doc", timeout=240_000)
    frame = page.frame_locator("iframe.doc")
    before = frame.locator("body").inner_text()
    assert "at udvalget tager resultaterne til efterretning" not in before
    page.get_by_label('Punkter (ét pr. linje, hvert begynder med "at")').fill(
        "at udvalget tager resultaterne til efterretning.")
    page.get_by_label("Økonomiske konsekvenser").fill("Undersøgelsen finansieres inden for områdets budget.")
    frame.get_by_text("at udvalget tager resultaterne til efterretning.").wait_for(timeout=120_000)
    shot(page, "07-tekster-forhaandsvisning")
    preview_stays_beside_the_fields(page)
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/tekster?gemt=1")

    page.goto(case_url)
    page.get_by_role("button", name="Dan PDF og Word").click()
    page.wait_for_selector("#job")
    shot(page, "08-dannes")
    path = case_url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    page.locator(f'a[href="/{path}/versioner/1/pdf"]').wait_for(timeout=300_000)
    shot(page, "09-versioner")
    pdf = _pdf_text(page, f'a[href="/{path}/versioner/1/pdf"]')
    assert "Borgerundersøgelsen 2024 i Norddjurs" in pdf
    assert "at udvalget tager resultaterne til efterretning" in pdf
    assert "Undersøgelsen finansieres inden for områdets budget." in pdf
    bilag = _pdf_text(page, f'a[href="/{path}/versioner/1/bilag/1/pdf"]')
    assert "Bilag 1" in bilag and "Resultater af undersøgelsen" in bilag
    with page.expect_download() as download:
        page.locator(f'a[href="/{path}/versioner/1/docx"]').click()
    docx = _docx_text(download.value.path())
    assert "at udvalget tager resultaterne til efterretning" in docx and "Borgerundersøgelsen 2024 i Norddjurs" in docx
    with page.expect_download() as download:
        page.locator(f'a[href="/{path}/versioner/1/bilag/1/docx"]').click()
    assert "Bilag 1" in _docx_text(download.value.path())
    first_pdf = page.request.get(case_url + "/versioner/1/pdf").body()

    # a POST without the CSRF token is refused
    r = page.request.post(case_url + "/dan", form={"x": "1"})
    assert r.status == 403
    for name, url in (("10-sager", server.url + "/sager"), ("11-admin", server.url + "/admin"),
                      ("12-tjek", case_url + "/tjek"), ("13-kommentarer", case_url + "/kommentarer")):
        page.goto(url)
        shot(page, name)

    # the server is killed during a build; after a restart the job is failed, version 1 intact
    page.goto(case_url)
    page.get_by_role("button", name="Dan PDF og Word").click()
    expect(page.locator("#job")).to_contain_text("dannes", timeout=120_000)
    server.kill(group=True)
    page.goto("about:blank")  # the job page's polling would reload it once the server is back
    server.start()
    page.goto(server.url + "/log-ind")
    page.get_by_label("Brugernavn").fill("admin")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sager")
    case_url = f"{server.url}/{path}"
    page.goto(case_url)
    assert "Afbrudt da serveren stoppede – dan igen." in page.inner_text("div.error")
    shot(page, "14-efter-genstart")
    assert page.request.get(case_url + "/versioner/1/pdf").body() == first_pdf
    assert page.request.get(case_url + "/versioner/2/pdf").status == 404

    # after the restart a changed text is saved and built, and the two versions compared
    page.goto(case_url + "/tekster")
    page.get_by_label("Økonomiske konsekvenser").fill("Udgiften på 40.000 kr. afholdes af puljen.")
    page.frame_locator("iframe.doc").get_by_text("Udgiften på 40.000 kr. afholdes af puljen.").wait_for(timeout=120_000)
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/tekster?gemt=1")
    page.goto(case_url)
    page.get_by_role("button", name="Dan PDF og Word").click()
    page.locator(f'a[href="/{path}/versioner/2/pdf"]').wait_for(timeout=300_000)
    shot(page, "15-to-versioner")
    page.goto(case_url + "/forskelle")
    assert "Udgiften på 40.000 kr. afholdes af puljen." in page.inner_text("main")
    shot(page, "16-forskelle")


def _pdf_text(page, link: str) -> str:
    """The text of the PDF a link on the page points to, fetched in the user's session."""
    from pypdf import PdfReader

    href = page.locator(link).get_attribute("href")
    r = page.request.get(href if href.startswith("http") else page.url.split("/sager")[0] + href)
    assert r.headers["content-type"] == "application/pdf", href
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.body())).pages)


def _docx_text(path) -> str:
    import docx

    return " ".join(p.text for p in docx.Document(str(path)).paragraphs)
