"""End to end in a real headless Chromium (Debian's ``chromium`` driven by Playwright),
against ``reportgen serve`` started as a process on 127.0.0.1: log in, upload the demo
export, correct a column's role, write an Indstilling and watch the preview change, build,
download the PDF and read its text; a bad upload and a CSRF-less POST; then the server is
killed during a second build and restarted. Screenshots of every page go to
tests/web/screenshots/ (git-ignored)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.web.conftest import DEMO
from tests.web.server import PASSWORD, Server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).with_name("screenshots")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

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
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_round_trip_in_browser(server, page):
    from pypdf import PdfReader

    page.goto(server.url + "/")
    assert page.url.endswith("/log-ind")
    shot(page, "01-log-ind")
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
    page.wait_for_function("document.querySelector('[data-column=alder]').value === 'ignorer'")
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
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/tekster?gemt=1")

    page.goto(case_url)
    page.get_by_role("button", name="Dan PDF og Word").click()
    page.wait_for_selector("#job")
    shot(page, "08-dannes")
    page.get_by_role("link", name="PDF").first.wait_for(timeout=300_000)
    shot(page, "09-versioner")
    pdf = page.request.get(case_url + "/versioner/1/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Borgerundersøgelsen 2024 i Norddjurs" in text
    assert "at udvalget tager resultaterne til efterretning" in text
    assert "Undersøgelsen finansieres inden for områdets budget." in text
    assert page.request.get(case_url + "/versioner/1/docx").body()[:2] == b"PK"

    # a POST without the CSRF token is refused
    r = page.request.post(case_url + "/dan", form={"x": "1"})
    assert r.status == 403
    page.goto(server.url + "/sager")
    shot(page, "10-sager")
    page.goto(server.url + "/admin")
    shot(page, "11-admin")


    # the server is killed during a build; after a restart the job is failed, version 1 intact
    page.goto(case_url)
    page.get_by_role("button", name="Dan PDF og Word").click()
    page.wait_for_function("document.querySelector('#job') && document.querySelector('#job').innerText.includes('dannes')",
                           timeout=120_000)
    server.kill(group=True)
    page.goto("about:blank")  # the job page's polling would reload it once the server is back
    server.start()
    page.goto(server.url + "/log-ind")
    page.get_by_label("Brugernavn").fill("admin")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sager")
    page.goto(case_url.replace(re.match(r"http://[^/]+", case_url).group(0), server.url))
    assert "Afbrudt da serveren stoppede – dan igen." in page.inner_text("div.error")
    shot(page, "12-efter-genstart")
    again = page.request.get(page.url + "/versioner/1/pdf")
    assert again.body() == pdf.body()
    assert page.request.get(page.url + "/versioner/2/pdf").status == 404
