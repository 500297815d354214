"""Strona kursu w prawdziwej przeglądarce (Playwright + Chromium z Debiana), bez internetu.

Serwujemy ``_build/html`` na 127.0.0.1 (wątek z ``http.server``) i otwieramy każdą stronę
w bezgłowym Chromium. Każde zapytanie do innego hosta jest przerywane i zapisywane – strona
ma działać w całości z własnego serwera (MathJax, plotly.js, js-tiktoken leżą w ``vendor/``,
patrz ``scripts/vendor_js.sh``; menedżera widżetów strona już nie ładuje – zamrożone widżety
są zwykłym HTML-em, ``_ext/lean_pages.py``). Sprawdzamy też: odpowiedzi 200, brak
błędów w konsoli, ``<html lang="pl">``, przyciski Colab/Binder/pobierania na stronach
rozdziałów, wyrenderowane wzory i widżety, działanie rysunków do odkrywania (wybór innej
opcji zmienia rysunek), polską wyszukiwarkę i teksty alternatywne obrazków. Po każdej stronie
zapisujemy zrzut ekranu w ``_build/screenshots/``.

Bez Chromium (``/usr/bin/chromium``) albo bez zbudowanej strony testy są pomijane z jednym
zdaniem wyjaśnienia (``make test`` najpierw buduje stronę i instaluje Chromium, gdy może).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
]
#: Strony pomocnicze Sphinksa, których nie oglądamy jak treści (index.html to przekierowanie).
SKIP_PAGES = {"index.html", "genindex.html"}
IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)


def _pages() -> list[str]:
    if not SITE.is_dir():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE).as_posix()
        if rel.split("/")[0] in {"_static", "_sources", "_images", "vendor"} or rel in SKIP_PAGES:
            continue
        pages.append(rel)
    return pages


PAGES = _pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def _skip_reason() -> str | None:
    if not (SITE / "intro.html").is_file():
        return "Brak zbudowanej strony _build/html – uruchom najpierw `make book`."
    if not Path(CHROMIUM).is_file():
        return "Brak przeglądarki chromium (apt-get install chromium; `make chromium` robi to jako root)."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Brak pakietu playwright (pip install -r requirements.txt)."
    return None


SKIP = _skip_reason()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """Jedna strona w świeżym kontekście przeglądarki z dziennikiem zapytań i konsoli."""

    def __init__(self, browser, base: str):
        self.base = base
        self.host = urlparse(base).netloc
        self.foreign: list[str] = []
        self.bad_status: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{m.text} @ {m.location}"))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._failed)

    def _route(self, route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in {"data", "blob", "about"} or parsed.netloc == self.host:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _response(self, response):
        if urlparse(response.url).netloc == self.host and response.status != 200:
            self.bad_status.append(f"{response.status} {response.url}")

    def _failed(self, request):
        if urlparse(request.url).netloc == self.host:
            self.failed.append(f"{request.failure} {request.url}")

    def open(self, rel: str):
        self.page.goto(self.base + rel, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    visits = []

    def _make():
        v = Visit(browser, server)
        visits.append(v)
        return v

    yield _make
    for v in visits:
        v.close()


def _screenshot(page, rel: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = rel.removesuffix(".html").replace("/", "__") + ".png"
    # Bez fokusu i od góry strony – inaczej pasek nagłówka i link „przejdź do treści” lądują
    # w środku zrzutu całej strony.
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _settle(page, html: str) -> None:
    """Poczekaj na MathJax, widżety i rysunki do odkrywania, jeśli strona je ma."""
    if 'class="math' in html:
        page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                               " && (MathJax.startup.promise.then(() => window.__mjDone = true), window.__mjDone === true)",
                               timeout=30_000)
    if "llmkurs-explorable" in html:
        # plotly.js wczytuje się dopiero przy rysunku w oknie przeglądarki: przewijamy do każdego
        figures = page.locator("figure.llmkurs-explorable")
        for i in range(figures.count()):
            figures.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.llmkurs-explorable')]"
            ".every(f => f.dataset.shown !== undefined && f.querySelector('.llmkurs-plot svg.main-svg'))",
            timeout=30_000)


def _plot_svg(figure) -> str:
    return figure.evaluate("f => [...f.querySelectorAll('.llmkurs-plot svg.main-svg')].map(s => s.outerHTML).join('')")


@pytest.mark.parametrize("rel", PAGES or ["intro.html"])
def test_page(visit, rel):
    """Strona ładuje się w całości z 127.0.0.1, bez błędów; wzory, widżety i rysunki działają."""
    html = (SITE / rel).read_text(encoding="utf-8")
    v = visit()
    page = v.open(rel)
    _settle(page, html)

    assert page.evaluate("document.documentElement.lang") == "pl"

    if 'class="math' in html:
        assert page.locator("mjx-container").count() > 0, "Wzory nie zostały wyrenderowane przez MathJax."
        assert page.locator("mjx-merror").count() == 0, "MathJax zgłosił błąd we wzorze."

    # Zamrożone widżety: zapisany stan jako zwykły HTML (bez menedżera widżetów, _ext/lean_pages.py).
    assert "application/vnd.jupyter.widget-view+json" not in html, "Widok widżetu bez zapisanego stanu w HTML."
    frozen = page.locator(".llmkurs-frozen")
    for i in range(frozen.count()):
        box = frozen.nth(i)
        assert box.locator("svg, img, table, .llmkurs-tokens, .llmkurs-frozen-control").count() > 0, "Pusty zamrożony widżet."
    assert page.evaluate("() => !window.requirejs && !document.querySelector('script[src*=\"embed-amd\"], script[src*=\"fontawesome\"]')")

    if rel.startswith("chapters/"):
        notebook = rel.removeprefix("chapters/").removesuffix(".html") + ".ipynb"
        colab = page.locator("a[href*='colab.research.google.com']")
        binder = page.locator("a[href*='mybinder.org']")
        assert colab.count() > 0 and notebook in colab.first.get_attribute("href")
        assert binder.count() > 0 and notebook in binder.first.get_attribute("href")
        assert page.locator(f"a[href$='{notebook}']").count() > 0, "Brak przycisku pobierania notatnika .ipynb."

    # Rysunki do odkrywania: prawdziwy wybór innej opcji w <select> zmienia rysunek.
    figures = page.locator("figure.llmkurs-explorable")
    for i in range(figures.count()):
        fig = figures.nth(i)
        select = fig.locator("select.llmkurs-select")
        options = select.locator("option").all_text_contents()
        if len(options) < 2:
            continue
        before_shown = fig.get_attribute("data-shown")
        before_svg = _plot_svg(fig)
        fig.scroll_into_view_if_needed()
        select.focus()
        select.select_option(index=len(options) - 1)
        page.wait_for_function("([f, old]) => f.dataset.shown !== old", arg=[fig.element_handle(), before_shown], timeout=10_000)
        page.wait_for_timeout(300)
        assert fig.get_attribute("data-shown") != before_shown
        assert _plot_svg(fig) != before_svg, "Rysunek nie zmienił się po wybraniu innego przykładu."
        slider = fig.locator("input.llmkurs-slider")
        if slider.count():
            shown = fig.get_attribute("data-shown")
            svg = _plot_svg(fig)
            slider.focus()
            page.keyboard.press("End")
            page.wait_for_function("([f, old]) => f.dataset.shown !== old", arg=[fig.element_handle(), shown], timeout=10_000)
            page.wait_for_timeout(300)
            assert _plot_svg(fig) != svg, "Rysunek nie zmienił się po przesunięciu suwaka."

    # Dostępność: każdy obrazek ma niepusty tekst alternatywny, który nie jest nazwą pliku.
    alts = page.evaluate("() => [...document.querySelectorAll('img')].map(i => [i.getAttribute('src') || '', i.getAttribute('alt')])")
    missing = [src[:80] for src, alt in alts if not (alt or "").strip() or IMAGE_FILE.search(alt.strip())]
    assert not missing, f"Obrazki bez tekstu alternatywnego: {missing}"

    page.wait_for_load_state("networkidle")
    _screenshot(page, rel)
    assert not v.foreign, f"Zapytania do obcych hostów: {v.foreign}"
    assert not v.bad_status, f"Odpowiedzi inne niż 200: {v.bad_status}"
    assert not v.failed, f"Nieudane zapytania: {v.failed}"
    assert not v.console_errors, f"Błędy w konsoli: {v.console_errors}"


def test_index_redirects_to_intro(visit):
    v = visit()
    page = v.open("index.html")
    page.wait_for_url(re.compile(r"intro\.html$"), timeout=10_000)
    assert not v.foreign


def _search(visit, query: str) -> list[str]:
    v = visit()
    page = v.open("search.html?q=" + query.replace(" ", "+"))
    page.wait_for_function(
        # Koniec wyszukiwania: nagłówek zmienia się z „Wyszukiwanie” na „Wyniki wyszukiwania”
        # (licznik kropek Search._pulse_status w Sphinksie 7.4 nie zatrzymuje się).
        "() => typeof Search !== 'undefined' && Search.title"
        " && Search.title.innerText === Documentation.gettext('Search Results')", timeout=30_000)
    page.wait_for_load_state("networkidle")
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(a => a.getAttribute('href'))")
    _screenshot(page, "search__" + re.sub(r"\W+", "_", query))
    assert not v.foreign and not v.console_errors, (v.foreign, v.console_errors)
    pages = [h.split("?")[0].split("#")[0] for h in hrefs]
    return list(dict.fromkeys(pages))          # kolejność wyników, bez powtórzeń


def _expect(page: str) -> str:
    if not (SITE / page).is_file():
        pytest.skip(f"Strona {page} nie jest jeszcze zbudowana.")
    return page


@pytest.mark.parametrize(("query", "page"), [
    ("osadzenie", "glossary.html"),            # słowniczek ma „osadzenie”
    ("osadzenia", "glossary.html"),            # inna forma tego samego słowa
    ("osadzeniami", "intro.html"),             # wstęp ma „osadzeń”, nie „osadzeniami”
    ("uwaga przyczynowa", "intro.html"),       # wstęp: „uwaga przyczynowa” w tekście
    ("uwagą przyczynową", "intro.html"),       # forma z narzędnika
    ("wejscia", "intro.html"),                 # zapytanie bez polskich znaków
])
def test_search_polish(visit, query, page):
    assert _expect(page) in _search(visit, query)


def test_search_chapter_pages(visit):
    chapter = next((p for p in CHAPTERS if "przyczynow" in p), None)
    if chapter is None:
        pytest.skip("Rozdział o uwadze przyczynowej nie jest jeszcze na stronie.")
    for query in ("uwaga przyczynowa", "uwagi przyczynowej"):
        chapters = [p for p in _search(visit, query) if p.startswith("chapters/")]
        assert chapters[0] == chapter, f"„{query}”: pierwszy rozdział w wynikach to {chapters[0]}"
    found = _search(visit, "osadzenia pozycyjne")
    expected = next((p for p in CHAPTERS if "pozycyjn" in p), None)
    if expected:
        assert [p for p in found if p.startswith("chapters/")][0] == expected


def test_search_finds_nothing_for_nonsense(visit):
    assert _search(visit, "zzqxwv") == []


# --------------------------------------------------------------------------- panele „Na żywo” (zgłoszenie 10)

AXE = ROOT / ".cache" / "js" / "node_modules" / "axe-core" / "axe.min.js"
LIVE_PAGES = [p for p in PAGES if p.startswith("chapters/") or p == "intro.html"]
TOL = 2e-3


def _live_data_ok() -> bool:
    return (SITE / "live-data" / "mini_gpt.json").is_file()


def _answer(page, panel, texts: list[str]) -> list:
    """Wpisz kolejne teksty (zdarzenie input), poczekaj na data-ready i zwróć wynik panelu."""
    return page.evaluate(
        """async ([panel, texts]) => {
            const area = panel.querySelector('[data-role=text]');
            const out = [];
            for (const t of texts) {
              area.value = t;
              area.dispatchEvent(new Event('input', {bubbles: true}));
              for (let i = 0; i < 2000 && panel.dataset.ready !== 'true'; i++) await new Promise(r => setTimeout(r, 5));
              if (panel.dataset.ready !== 'true') throw new Error('panel nie odpowiedział: ' + t.slice(0, 40));
              const tok = {};
              panel.querySelectorAll('[data-tokenizer]').forEach(e => tok[e.dataset.tokenizer] = JSON.parse(e.dataset.ids));
              const top = panel.querySelector('[data-top]');
              out.push({tok, top: top ? JSON.parse(top.dataset.top) : null,
                        result: JSON.parse(panel.querySelector('[data-role=out]').dataset.result || '{}'),
                        text: panel.querySelector('[data-role=out]').innerText});
            }
            return out;
        }""", [panel.element_handle(), texts])


def _panel(page, kind: str):
    loc = page.locator(f'[data-live="{kind}"]')
    assert loc.count() >= 1, f"Brak panelu [data-live={kind}]"
    return loc.first


def _chapter(num: str) -> str:
    page = next((p for p in CHAPTERS if p.startswith(f"chapters/{num}-")), None)
    if page is None:
        pytest.skip(f"Rozdział {num} nie jest zbudowany.")
    return page


@pytest.mark.parametrize("rel", LIVE_PAGES or ["intro.html"])
def test_live_panel_every_page(visit, rel):
    """Każda strona rozdziału: panel [data-live] z etykietowanym polem, odpowiada po wpisaniu
    zdania (przez klawiaturę), pusty tekst daje polską podpowiedź, 390 px bez przewijania w bok,
    brak błędów w konsoli i zapytań poza 127.0.0.1, axe-core bez poważnych naruszeń (jasny i ciemny)."""
    if not _live_data_ok():
        pytest.skip("Brak live-data na stronie – make book eksportuje dane paneli.")
    v = visit()
    v.page.set_viewport_size({"width": 390, "height": 844})
    page = v.open(rel)
    panels = page.locator("[data-live]")
    assert panels.count() >= 1
    for i in range(panels.count()):
        panel = panels.nth(i)
        field = panel.locator("textarea[data-role=text], input[type=text][data-role=text]")
        assert field.count() == 1
        fid = field.get_attribute("id")
        assert page.locator(f'label[for="{fid}"]').count() == 1, "Pole panelu bez prawdziwej etykiety <label>."
        field.focus()                                   # sama klawiatura
        page.keyboard.press("Control+A")
        page.keyboard.type("Ala ma kota")
        page.wait_for_function("p => p.dataset.ready === 'true'", arg=panel.element_handle(), timeout=30_000)
        empty = _answer(page, panel, ["   "])[0]
        assert "Wpisz" in empty["text"], f"Pusty tekst bez podpowiedzi: {empty['text'][:100]}"
        _answer(page, panel, ["Zażółć gęślą jaźń 👨‍👩‍👧 <|endoftext|> " * 3])
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"Przewijanie w bok przy 390 px: {width}"
    if AXE.is_file():
        page.add_script_tag(path=str(AXE))
        for theme in ("light", "dark"):
            page.evaluate("t => document.documentElement.dataset.theme = t", theme)
            bad = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))""")
            assert not bad, f"axe-core ({theme}): {bad}"
    assert not v.foreign, f"Zapytania do obcych hostów: {v.foreign}"
    assert not v.bad_status and not v.failed, (v.bad_status, v.failed)
    assert not v.console_errors, f"Błędy w konsoli: {v.console_errors}"


def _lib_sentences() -> list[str]:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from export_site_data import sentences

    return sentences()


def test_live_tokens_equal_lib(visit):
    """Rozdział 1: ID trzech tokenizatorów na stronie = llmkurs i tiktoken, ≥ 200 tekstów."""
    from llmkurs.tokenizer import polish_tokenizer, tiktoken_encoding

    texts = _lib_sentences()
    assert len(texts) >= 200
    v = visit()
    page = v.open(_chapter("01"))
    got = _answer(page, _panel(page, "tokens"), texts)
    refs = {"kurs": polish_tokenizer(), "gpt2": tiktoken_encoding("gpt2"), "gpt4": tiktoken_encoding("cl100k_base")}
    for text, g in zip(texts, got):
        for name, tok in refs.items():
            assert g["tok"][name] == tok.encode(text, allowed_special="all"), f"{name}: {text[:60]!r}"
    assert not v.console_errors, v.console_errors


def _model():
    from llmkurs.model import load_mini_gpt

    model, tok = load_mini_gpt()
    model.eval()
    model.set_keep_weights(True)
    return model, tok


MODEL_TEXTS = [
    "Oto fragment przykładowego wejścia",
    "Wczoraj w Krakowie padał deszcz, a dziś",
    "Kot",
    "Ala ma kota, a kot ma Alę. Ala ma kota, a kot ma Alę.",
    "The quick brown fox 123 👍",
    "Tekst<|endoftext|>Nowy",
]


def test_live_next_token_equal_lib(visit):
    """Rozdział 9: [data-top] = top-10 next_token_probs biblioteki (ID te same, różnica ≤ 2e-3),
    także dla tekstu dłuższego niż kontekst (ostatnie context_length tokenów, z notką)."""
    import torch

    from llmkurs.model import next_token_probs, text_to_token_ids

    model, tok = _model()
    long_text = " ".join(_lib_sentences()[15:60])
    texts = MODEL_TEXTS + [long_text]
    v = visit()
    page = v.open(_chapter("09"))
    got = _answer(page, _panel(page, "next-token"), texts)
    for text, g in zip(texts, got):
        probs = next_token_probs(model, text_to_token_ids(text, tok))[0]
        top = torch.topk(probs, 10)
        want = list(zip(top.indices.tolist(), top.values.tolist()))
        page_ids = [i for i, _ in g["top"]]
        assert set(page_ids) == {i for i, _ in want}, text[:50]
        for (i, p), (j, q) in zip(want, g["top"]):
            assert abs(dict(g["top"])[i] - p) <= TOL
            assert i == j or abs(p - q) <= TOL, f"kolejność top-10: {text[:40]!r}"
    assert "ostatnich" in got[-1]["text"], "Brak notki o ucięciu do długości kontekstu."
    assert not v.console_errors, v.console_errors


def test_live_head_switch_equal_lib(visit):
    """Rozdział 10: udziały głów na zdaniu i top-10 po wyłączeniu głowy = llmkurs (ch10 i haczyk
    zeroed_head, tak jak head_stats), dla każdej warstwy modelu z konfiguracji."""
    import torch

    from llmkurs.widgets.ch10 import sentence_head_shares, zeroed_head

    model, tok = _model()
    v = visit()
    page = v.open(_chapter("10"))
    panel = _panel(page, "head-switch")
    texts = MODEL_TEXTS[:4]
    for layer in range(model.cfg.n_layers):
        head = (layer * 3 + 1) % model.cfg.n_heads
        page.evaluate("""([p, l, h]) => { const s = p.querySelector('[data-role=layer]');
            if (s.options.length < l + 1) s.innerHTML = [...Array(l + 1)].map((_, i) => `<option value="${i}">${i + 1}</option>`).join('');
            s.value = String(l); const g = p.querySelector('[data-role=head]');
            if (g.options.length < h + 1) g.innerHTML = [...Array(h + 1)].map((_, i) => `<option value="${i}">${i + 1}</option>`).join('');
            g.value = String(h); }""", [panel.element_handle(), layer, head])
        for text, g in zip(texts, _answer(page, panel, texts)):
            r = g["result"]
            assert (r["layer"], r["head"]) == (layer, head)
            x = torch.tensor([tok.encode(text, allowed_special="all")[-model.cfg.context_length:]])
            with torch.no_grad():
                p = torch.softmax(model(x)[0, -1], -1)
                att = model.attention_weights()[layer][0]
                with zeroed_head(model, layer, head):
                    q = torch.softmax(model(x)[0, -1], -1)
            for h in range(model.cfg.n_heads):
                want = sentence_head_shares(att[h])
                if want is None:
                    assert r["shares"][h] is None
                    continue
                got = r["shares"][h]
                assert all(abs(a - b) <= TOL for a, b in zip(got, [want[k] for k in ("previous", "first", "self", "other")])), text
            top = torch.topk(q, 10)
            assert {i for i, _ in r["topOff"]} == set(top.indices.tolist()), text
            for i, pv in zip(top.indices.tolist(), top.values.tolist()):
                assert abs(dict(r["topOff"])[i] - pv) <= TOL
            assert abs(r["tv"] - 0.5 * float((p - q).abs().sum())) <= TOL
    assert not v.console_errors, v.console_errors


def test_live_attention_equal_lib(visit):
    """Rozdziały 4, 6, 8 (i 3, 2): wagi uwagi, sumy wejścia i sąsiedzi z panelu = biblioteka."""
    import torch
    import torch.nn.functional as F

    from llmkurs.attention import naive_attention

    model, tok = _model()
    texts = MODEL_TEXTS[:4]
    v = visit()

    def ids_of(text):
        return tok.encode(text, allowed_special="all")[-model.cfg.context_length:]

    page = v.open(_chapter("08"))
    for text, g in zip(texts, _answer(page, _panel(page, "heads"), texts)):
        with torch.no_grad():
            model(torch.tensor([ids_of(text)]))
        want = model.attention_weights()[g["result"]["layer"]][0]
        assert torch.allclose(torch.tensor(g["result"]["weights"]).float(), want, atol=TOL), text
    page = v.open(_chapter("06"))
    for text, g in zip(texts, _answer(page, _panel(page, "causal"), texts)):
        with torch.no_grad():
            model(torch.tensor([ids_of(text)]))
        want = model.attention_weights()[0][0, 0]
        assert torch.allclose(torch.tensor(g["result"]["weights"]).float(), want, atol=TOL), text
    page = v.open(_chapter("04"))
    for text, g in zip(texts, _answer(page, _panel(page, "naive"), texts)):
        x = model.tok_emb.weight[torch.tensor(g["result"]["ids"])].detach()
        _, want = naive_attention(x)
        assert torch.allclose(torch.tensor(g["result"]["weights"]).float(), want, atol=TOL), text
    page = v.open(_chapter("03"))
    for text, g in zip(texts, _answer(page, _panel(page, "positions"), texts)):
        ids = torch.tensor(g["result"]["ids"])
        want = (model.tok_emb.weight[ids] + model.pos_emb.weight[: len(ids)]).detach()[:, :8]
        # wagi na stronie w float16: błąd względny ≤ 2⁻¹¹ na każdej liczbie tabeli
        assert torch.allclose(torch.tensor(g["result"]["sum"]).float(), want, atol=1e-3, rtol=1e-3), text
    page = v.open(_chapter("02"))
    table = model.tok_emb.weight.detach()
    for text, g in zip(texts, _answer(page, _panel(page, "embedding"), texts)):
        for i, nn in zip(g["result"]["ids"], g["result"]["neighbours"]):
            sims = F.cosine_similarity(table[i][None], table, dim=1)
            sims[i] = -2
            best = torch.topk(sims, 5)
            assert [j for j, _ in nn] == best.indices.tolist() or all(
                abs(c - float(sims[j])) <= TOL for j, c in nn), text
    assert not v.console_errors, v.console_errors
