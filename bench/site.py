"""Pomiar paneli „Na żywo” w bezgłowym Chromium (zgłoszenie 10).

Serwujemy ``_build/html`` na 127.0.0.1 i dla każdej strony rozdziału mierzymy:

- bajty pierwszej wizyty (suma odpowiedzi serwera do chwili ``networkidle``, pusta pamięć
  podręczna, bez interakcji) – granica 4 MB; drukujemy też rozmiar po gzip (tyle przesyła
  statyczny hosting kompresujący odpowiedzi, np. GitHub Pages; http.server z testu nie
  kompresuje). Granicę sprawdzamy bez kompresji – to ostrzejsza z dwóch miar i nie zależy od
  serwera, na którym strona wyląduje,
- medianę czasu aktualizacji panelu po zdarzeniu ``input`` (od wpisania zdania o ok. 20 tokenach
  do ``data-ready="true"``): tokeny i panele uwagi ≤ 50 ms, jeden krok następnego tokenu ≤ 150 ms,
- rozmiar pliku wag małego GPT (≤ 8 MB) i to, że druga wizyta nie pobiera go ponownie.

Drukuje tabelę i na końcu jedną linię podsumowania. Wymaga zbudowanej strony (``make book``).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
SENTENCES = [
    "Wczoraj wieczorem w Krakowie padał deszcz, więc zostaliśmy w domu i czytaliśmy książki.",
    "Oto fragment przykładowego wejścia, który model czyta token po tokenie od lewej strony.",
    "Pociąg do Gdańska odjechał punktualnie o siódmej, a my wciąż staliśmy na peronie.",
    "Najważniejsze w nauce jest zadawanie pytań, nawet jeśli odpowiedź wydaje się oczywista.",
    "Babcia upiekła szarlotkę z jabłek z własnego sadu i zaprosiła całą rodzinę na niedzielę.",
]
#: Granice z zgłoszenia: tokeny i panele uwagi ≤ 50 ms, krok modelu ≤ 150 ms (panel rozdziału 10
#: liczy dwa przebiegi modelu – z głową i bez niej – więc ma granicę kroku modelu).
LIMITS = {"tokens": 50, "embedding": 50, "positions": 50, "naive": 50, "scaled": 50, "causal": 50, "dropout": 50,
          "heads": 50, "head-switch": 150, "next-token": 150}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def pages() -> list[str]:
    return ["intro.html"] + sorted(p.relative_to(SITE).as_posix() for p in (SITE / "chapters").glob("*.html"))


def time_updates(page, panel, texts) -> list[float]:
    """Czas (ms) od zdarzenia input do data-ready=true, mierzony w stronie (performance.now)."""
    return page.evaluate(
        """async ([panel, texts]) => {
            const area = panel.querySelector('[data-role=text]');
            const ready = () => new Promise((res) => {
              const check = () => panel.dataset.ready === 'true' ? res() : requestAnimationFrame(check);
              check(); });
            const out = [];
            for (const t of texts) {
              area.value = t;
              const t0 = performance.now();
              area.dispatchEvent(new Event('input', {bubbles: true}));
              await new Promise((res) => {
                const obs = () => panel.dataset.ready === 'true' ? res() : setTimeout(obs, 0);
                obs(); });
              out.push(performance.now() - t0);
            }
            void ready;
            return out;
        }""", [panel.element_handle(), texts])


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (SITE / "intro.html").is_file():
        print("bench/site.py: brak _build/html – uruchom make book.")
        return 1
    manifest = json.loads((SITE / "live-data" / "mini_gpt.json").read_text(encoding="utf-8"))
    weights_bytes = (SITE / "live-data" / manifest["file"]).stat().st_size
    httpd, base = serve()
    ok = True
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        for rel in pages():
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            sizes, gz = {}, {}

            def on_response(resp, sizes=sizes, gz=gz):
                try:
                    body = resp.body()
                except Exception:
                    return
                sizes[resp.url] = len(body)
                gz[resp.url] = len(gzip.compress(body, 6))

            page.on("response", on_response)
            page.goto(base + rel, wait_until="load")
            page.wait_for_load_state("networkidle")
            first = sum(sizes.values())
            first_gz = sum(gz.values())
            panels = page.locator("[data-live]")
            timings = {}
            for i in range(panels.count()):
                panel = panels.nth(i)
                kind = panel.get_attribute("data-live")
                if kind not in LIMITS:
                    continue
                # rozgrzewka: wczytanie słowników / wag i kompilacja JIT
                time_updates(page, panel, SENTENCES[:2])
                ms = time_updates(page, panel, SENTENCES * 2)
                timings[kind] = statistics.median(ms)
            after = sum(sizes.values())
            weights_fetched = any(manifest["file"] in u for u in sizes)
            # druga wizyta w tym samym kontekście: wagi z pamięci podręcznej
            second = {}
            page2 = ctx.new_page()
            page2.on("response", lambda r, s=second: s.__setitem__(r.url, r.from_service_worker or r.request.timing))
            cached_again = None
            if weights_fetched:
                page2.goto(base + rel, wait_until="load")
                refetch = page2.evaluate(
                    """async (file) => { const p = document.querySelector('[data-live]');
                        const a = p.querySelector('[data-role=text]'); a.value = 'Ala ma kota';
                        a.dispatchEvent(new Event('input', {bubbles: true}));
                        for (let i = 0; i < 400 && p.dataset.ready !== 'true'; i++) await new Promise(r => setTimeout(r, 25));
                        const e = performance.getEntriesByType('resource').find(e => e.name.includes(file));
                        return e ? e.transferSize : null; }""", manifest["file"])
                # 0 B – z pamięci podręcznej; kilkaset B – serwer potwierdził (304), że plik się nie
                # zmienił (http.server nie wysyła Cache-Control, a świeżo zapisany plik przeglądarka
                # sprawdza szybciej); tylko pełny rozmiar to ponowne pobranie wag.
                cached_again = refetch is not None and refetch < 10_000
            ctx.close()
            row_ok = first <= 4_000_000 and all(timings[k] <= LIMITS[k] for k in timings)
            ok = ok and row_ok
            rows.append((rel, first, after, timings, cached_again, row_ok, first_gz))
        browser.close()
    httpd.shutdown()
    print(f"{'strona':40s} {'1. wizyta':>10s} {'gzip':>7s} {'po użyciu':>10s}  mediana aktualizacji (ms)")
    for rel, first, after, timings, cached, row_ok, first_gz in rows:
        t = ", ".join(f"{k} {v:.1f}" for k, v in timings.items())
        c = "" if cached is None else ("; wagi z pamięci podręcznej przy 2. wizycie" if cached else "; wagi POBRANE PONOWNIE")
        print(f"{rel:40s} {first / 1e6:9.2f}M {first_gz / 1e6:6.2f}M {after / 1e6:9.2f}M  {t}{c}{'' if row_ok else '  ← poza granicą'}")
    ok = ok and weights_bytes <= 8_000_000  # plik wag tak, jak leży na serwerze (spakowany)
    worst_first = max(r[1] for r in rows)
    tok = max((r[3].get("tokens", 0) for r in rows), default=0)
    att = max((v for r in rows for k, v in r[3].items() if LIMITS[k] == 50 and k != "tokens"), default=0)
    nxt = max((v for r in rows for k, v in r[3].items() if LIMITS[k] == 150), default=0)
    worst_gz = max(r[6] for r in rows)
    print(f"site: pierwsza wizyta najwyżej {worst_first / 1e6:.2f} MB bez kompresji, {worst_gz / 1e6:.2f} MB z gzip (≤ 4), wagi {weights_bytes / 1e6:.2f} MB (≤ 8, "
          f"{manifest['precision']['chosen']}), aktualizacja: tokeny {tok:.1f} ms, osadzenia, pozycje i uwaga {att:.1f} ms (≤ 50), "
          f"krok modelu (następny token, wyłączona głowa) {nxt:.1f} ms (≤ 150) – {'w granicach' if ok else 'POZA GRANICAMI'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
