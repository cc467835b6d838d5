"""The review round trip in a real headless Chromium, against ``reportgen serve`` on
127.0.0.1, through the pages only: the admin creates a sagsbehandler and a chef on the
admin page; the sagsbehandler makes a case from the demo export, writes the texts, builds
and sends it for review; the chef (own browser context) comments on a section on the diff
page and sends the case back; the sagsbehandler sees the open comment, fixes the text,
rebuilds and resends; the chef sees the changed sentence between the two versions, resolves
the comment and approves; the case reaches ``endelig`` and the final PDF, fetched through
the page's link, has no draft mark and holds the fixed text. A screenshot of each step
(1280×800, whole page) goes to tests/web/screenshots/r01-….png (git-ignored)."""

from __future__ import annotations

import io
import os
import re
import time

import pytest

from tests.web.conftest import DEMO
from tests.web.server import PASSWORD, Server
from tests.web.test_browser import CHROMIUM, FLAGS, SHOTS, SIZES

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                                "(apt-get install chromium; .ci/run does it when root)")

FIRST = "Udgiften er endnu ikke opgjort."
FIXED = "Udgiften er 0,1 mio. kr. og afholdes af puljen."
COMMENT = "Skriv beløbet i økonomiafsnittet."
BACK = "Se kommentaren til økonomien."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("e2e-review") / "data")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                              env={**os.environ, "LANGUAGE": "da", "LANG": "da_DK.UTF-8"})
        yield b
        b.close()


def _page(browser):
    context = browser.new_context(viewport=SIZES[0], locale="da-DK", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    return pg


def shot(page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, url: str, username: str, password: str) -> None:
    page.goto(url + "/log-ind")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sager")


def create_user(page, username: str, role: str, unit: str) -> str:
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Rolle").select_option(role)
    page.get_by_label("Enhed").fill(unit)
    click_and_load(page, page.get_by_role("button", name="Opret eller nulstil adgangskode"))
    message = page.locator("p.ok").inner_text()
    return re.search(r"Engangsadgangskode: (\S+)", message).group(1)


def click_and_load(page, button) -> None:
    """Click a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def status(page) -> str:
    return page.locator("span.status").inner_text()


def build(page, number: int) -> None:
    """Click build on the case page and wait for the version's PDF link."""
    page.get_by_role("button", name="Dan PDF og Word").click()
    page.locator(f'a[href$="/versioner/{number}/pdf"]').wait_for(timeout=300_000)


def save_texts(page, case_url: str, oekonomi: str) -> None:
    page.goto(case_url + "/tekster")
    page.get_by_label('Punkter (ét pr. linje, hvert begynder med "at")').fill("at orienteringen tages til efterretning.")
    page.get_by_label("Sammenhæng til politikker og strategier").fill("Undersøgelsen følger kommunens politik.")
    page.get_by_label("Lovgrundlag").fill("Lov om kommunernes styrelse.")
    page.get_by_label("Økonomiske konsekvenser").fill(oekonomi)
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/tekster?gemt=1")


def test_review_round_trip_in_browser(server, browser):
    admin = _page(browser)
    log_in(admin, server.url, "admin", PASSWORD)
    admin.goto(server.url + "/admin")
    pw = {u: create_user(admin, u, role, "Jobcenter") for u, role in (("sb", "sagsbehandler"), ("leder", "chef"))}
    admin.context.close()

    # 1. the sagsbehandler makes a case from the demo export, builds it and sends it for review
    sb = _page(browser)
    log_in(sb, server.url, "sb", pw["sb"])
    sb.goto(server.url + "/sager/ny")
    sb.get_by_label("Titel", exact=True).fill("Borgerundersøgelsen 2024")
    sb.get_by_label("Kommune", exact=True).fill("Norddjurs Kommune")
    sb.get_by_label("Udvalg", exact=True).fill("Arbejdsmarkedsudvalget")
    sb.get_by_label("Mødedato").fill("2030-06-17")
    sb.get_by_label("Besvarelser (CSV, XLSX eller SPSS .sav)").set_input_files(str(DEMO / "besvarelser.csv"))
    sb.get_by_label("Spørgsmålskatalog (valgfrit)").set_input_files(str(DEMO / "katalog.csv"))
    sb.get_by_label("Antal inviterede pr. kommune (valgfrit)").set_input_files(str(DEMO / "inviterede.csv"))
    sb.get_by_role("button", name="Opret sag og foreslå kortlægning").click()
    sb.wait_for_url("**/kortlaegning")
    case_url = sb.url.rsplit("/", 1)[0]
    save_texts(sb, case_url, FIRST)
    sb.goto(case_url)
    build(sb, 1)
    click_and_load(sb, sb.get_by_role("button", name="Send til godkendelse"))
    assert status(sb) == "til godkendelse"
    shot(sb, "r01-sendt-til-godkendelse")

    # 2. the chef comments on the Økonomi section on the diff page and sends the case back
    chef = _page(browser)
    log_in(chef, server.url, "leder", pw["leder"])
    chef.goto(case_url + "/forskelle")
    assert "Kommentér version 1" in chef.inner_text("main")
    chef.get_by_label("Kommentaren gælder").select_option("afsnit|oekonomi")
    chef.get_by_label("Kommentar", exact=True).fill(COMMENT)
    chef.get_by_role("button", name="Gem kommentar").click()
    chef.wait_for_url("**/forskelle?a=1&b=1")
    assert "1 åben kommentar til sagen" in chef.inner_text("main")
    shot(chef, "r02-chef-kommentar")
    chef.goto(case_url)
    chef.get_by_label("Besked til sagsbehandleren").fill(BACK)
    click_and_load(chef, chef.get_by_role("button", name="Send tilbage med kommentar"))
    assert status(chef) == "udkast"
    shot(chef, "r03-sendt-tilbage")

    # 3. the sagsbehandler sees the open comment, fixes the text, rebuilds and resends
    sb.goto(case_url)
    opened = sb.locator("section.open-comments").inner_text()
    assert "Åbne kommentarer" in opened and COMMENT in opened and "Afsnit: Økonomiske konsekvenser" in opened
    shot(sb, "r04-aaben-kommentar")
    save_texts(sb, case_url, FIXED)
    sb.goto(case_url)
    build(sb, 2)
    click_and_load(sb, sb.get_by_role("button", name="Send til godkendelse"))
    assert status(sb) == "til godkendelse"
    shot(sb, "r05-sendt-igen")

    # 4. the chef sees the changed sentence between versions 1 and 2, resolves and approves
    chef.goto(case_url + "/forskelle")
    main = chef.inner_text("main")
    assert "Fra version 1 til version 2" in main and "Håndskrevne afsnit, der er ændret (1)" in main
    assert chef.locator("dd ins").filter(has_text="0,1 mio. kr.").count() >= 1, "the fixed sentence is not marked as added"
    shot(chef, "r06-forskelle-1-2")
    chef.goto(case_url + "/kommentarer")
    click_and_load(chef, chef.get_by_role("button", name="Markér som løst"))
    assert "Løste (1)" in chef.inner_text("main") and "Åbne (" not in chef.inner_text("main")
    shot(chef, "r07-kommentar-loest")
    chef.goto(case_url)
    click_and_load(chef, chef.get_by_role("button", name="Godkend", exact=True))
    assert "Godkend alligevel" not in chef.inner_text("main")  # no open comments: no confirmation

    # 5. the final build runs; the case is endelig and the final PDF has no draft mark
    wait_for_status(chef, "endelig")
    shot(chef, "r08-endelig")
    text = _pdf_text(chef, chef.get_by_role("link", name="Endelig PDF"))
    draft = _pdf_text(chef, chef.locator('a[href$="/versioner/2/pdf"]'))
    assert "UDKAST" in draft.upper() and FIXED in draft  # the mark is in a draft's text, so its absence means something
    assert "UDKAST" not in text.upper()
    assert FIXED in text and FIRST not in text
    chef.context.close()
    sb.context.close()


def wait_for_status(page, wanted: str, timeout: float = 300) -> None:
    """Reload the case page until its status reads ``wanted`` (bounded)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    while status(page) != wanted:
        assert time.monotonic() < deadline, f"status is still {status(page)!r}, not {wanted!r}"
        page.wait_for_timeout(1000)
        try:
            page.goto(page.url, wait_until="load")
        except PlaywrightError:  # the page's own job polling navigated at the same moment: try again
            page.wait_for_timeout(500)


def _pdf_text(page, link) -> str:
    """The text of the PDF the page's link points to, fetched in the user's session."""
    from pypdf import PdfReader

    href = link.get_attribute("href")
    r = page.request.get(href if href.startswith("http") else page.url.split("/sager")[0] + href)
    assert r.headers["content-type"] == "application/pdf", href
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.body())).pages)
