"""HTTP errors in Danish: an unknown address, a wrong method and a view's own refusal give a
Danish page (or, for htmx and form posts, the Danish text), never Starlette's English
"Not Found", with the security headers every response carries."""

from __future__ import annotations

from starlette.testclient import TestClient

ENGLISH = ("Not Found", "Method Not Allowed", "Internal Server Error", "Forbidden")


def test_an_unknown_address_is_a_danish_page(app):
    with TestClient(app) as client:
        r = client.get("/findes-ikke")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="da">' in r.text and "<h1>Siden findes ikke</h1>" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert not any(e in r.text for e in ENGLISH)


def test_a_missing_static_file_and_an_htmx_request_are_danish_too(app):
    with TestClient(app) as client:
        static = client.get("/static/findes-ikke.css")
        htmx = client.get("/findes-ikke", headers={"HX-Request": "true"})
    assert static.status_code == 404 and "Siden findes ikke" in static.text
    assert htmx.status_code == 404 and htmx.text == "Siden findes ikke"


def test_a_views_own_refusal_keeps_its_words_under_the_heading(admin):
    r = admin.get("/sager/987654")
    assert r.status_code == 404 and "<h1>Siden findes ikke</h1>" in r.text
    own = [line for line in r.text.splitlines() if 'role="alert"' in line]
    assert own and not any(e in r.text for e in ENGLISH), r.text
