"""Panele „Na żywo” na stronach rozdziałów (zgłoszenie 10), bez zmian w notatnikach.

Rozszerzenie wstawia do strony (zdarzenie ``doctree-read``) HTML panelu: prawdziwe
``<label>``, pole tekstowe albo ``<textarea>``, suwaki i miejsce na wynik, a na końcu strony
moduł ES ``vendor/live/panels.js`` (z ``web/``, kopiuje go ``scripts/vendor_js.sh``), który
liczy krok rozdziału w przeglądarce. Dane (słowniki, wagi) eksportuje
``scripts/export_site_data.py`` do ``live-data/``.

Klucz strony to numer rozdziału z nazwy pliku (albo ``intro``); strony, której jeszcze nie ma
(np. rozdział w pisaniu), po prostu nie budujemy – rozszerzenie niczego nie wymaga.

Gdzie: panel trafia na koniec sekcji, której tytuł pasuje do słów kluczowych panelu (np.
„Widżet”, „Twoje zdanie”, „Pary”); gdy takiej nie ma – na koniec pierwszej sekcji rozdziału
(po wstępie). Rozdział rozpoznajemy po numerze w nazwie pliku (``chapters/04-…``), więc zmiana
reszty nazwy niczego nie psuje.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

DEFAULT_SENTENCE = "Oto fragment przykładowego wejścia"

_CSS = """
<style>
.llmkurs-live{border:1px solid var(--pst-color-border,#d1d5db);border-radius:8px;padding:.75rem 1rem;margin:1.25rem 0;
  background:var(--pst-color-surface,#f9fafb);color:var(--pst-color-text-base,#111827);max-width:100%;overflow-x:auto;box-sizing:border-box}
.llmkurs-live-title{font-weight:700;margin:0 0 .5rem}
.llmkurs-live label{display:block;font-weight:600;margin:.4rem 0 .2rem}
.llmkurs-live textarea,.llmkurs-live input[type=text],.llmkurs-live input[type=number]{width:100%;box-sizing:border-box;font:inherit;
  padding:.35rem .5rem;border:1px solid var(--pst-color-border,#9ca3af);border-radius:4px;background:var(--pst-color-background,#fff);color:inherit}
.llmkurs-live input[type=number]{max-width:8rem}
.llmkurs-live input[type=range]{width:100%;max-width:22rem;min-height:32px}
.llmkurs-live select,.llmkurs-live button{font:inherit;min-height:36px;padding:.2rem .6rem;border-radius:4px;
  border:1px solid var(--pst-color-border,#9ca3af);background:var(--pst-color-background,#fff);color:inherit}
.llmkurs-live button{cursor:pointer;margin:.4rem .4rem .2rem 0}
.llmkurs-live :focus-visible{outline:3px solid var(--pst-color-accent,#2563eb);outline-offset:2px}
.llmkurs-live-row{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:flex-end}
.llmkurs-live-row>div{flex:1 1 12rem;min-width:0}
.llmkurs-live-out{margin-top:.5rem;min-width:0}
.llmkurs-live-out svg{display:block;margin:.5rem 0}
.llmkurs-live-heads{display:flex;flex-wrap:wrap;gap:.5rem}
.llmkurs-live-head{flex:1 1 18rem;min-width:0}
.llmkurs-live-map{display:block;max-width:100%;height:auto;margin:.5rem 0}
.llmkurs-live-note{font-style:italic;margin:.3rem 0}
.llmkurs-live-table{border-collapse:collapse;font-size:.9em;margin:.5rem 0;max-width:100%}
.llmkurs-live-table caption{text-align:left;margin-bottom:.25rem}
.llmkurs-live-table th,.llmkurs-live-table td{padding:.15rem .35rem;text-align:right;border-bottom:1px solid var(--pst-color-border,#d1d5db)}
.llmkurs-live-table caption{font-weight:400;font-size:.95em}
.llmkurs-live-chosen{font-weight:700}
.llmkurs-live-block p,.llmkurs-live-pair p{margin:.3rem 0}
html[data-theme=dark] .llmkurs-live sub{color:#374151}
/* Ciemny tryb: szary tekst notek widżetów (#6b7280) na jasnym tle widżetu ma za mały kontrast. */
html[data-theme=dark] .jupyter-widgets [style*="color:#6b7280"]{color:#374151!important}
/* Wąski ekran: ukryty (visibility:hidden) spis treści z prawej poszerzał stronę; na telefonie
   motyw pokazuje go w oknie dialogowym, więc oryginał można wyłączyć. */
@media (max-width:959.98px){.bd-sidebar-secondary{display:none!important}
  /* długie nazwy w tekście (np. MultiHeadAttentionWrapper) łamią się zamiast poszerzać stronę */
  .bd-article code.literal,.bd-article code.literal span.pre{white-space:normal;overflow-wrap:anywhere}}
</style>
"""


def _text(pid: str, label: str, value: str, *, area: bool = True) -> str:
    v = html.escape(value)
    if area:
        field = f'<textarea id="{pid}-text" data-role="text" rows="2" spellcheck="false">{v}</textarea>'
    else:
        field = f'<input type="text" id="{pid}-text" data-role="text" value="{v}" spellcheck="false">'
    return f'<label for="{pid}-text">{html.escape(label)}</label>{field}'


def _range(pid: str, role: str, label: str, lo, hi, step, value) -> str:
    return (f'<div><label for="{pid}-{role}">{html.escape(label)}: <output for="{pid}-{role}">{value}</output></label>'
            f'<input type="range" id="{pid}-{role}" data-role="{role}" min="{lo}" max="{hi}" step="{step}" value="{value}"></div>')


def _number(pid: str, role: str, label: str, lo, hi, value) -> str:
    return (f'<div><label for="{pid}-{role}">{html.escape(label)}</label>'
            f'<input type="number" id="{pid}-{role}" data-role="{role}" min="{lo}" max="{hi}" value="{value}"></div>')


def _check(pid: str, role: str, label: str, checked: bool = True) -> str:
    c = " checked" if checked else ""
    return (f'<div><label for="{pid}-{role}"><input type="checkbox" id="{pid}-{role}" data-role="{role}"{c}> '
            f'{html.escape(label)}</label></div>')


_START = '<button type="button" data-role="start">Policz</button>'


def panel_html(kind: str, pid: str) -> str:
    """HTML panelu danego rodzaju (``data-live`` = ``kind``); ``pid`` – prefiks identyfikatorów."""
    s = DEFAULT_SENTENCE
    title, body = {
        "tokens": ("Na żywo: Twoje zdanie w trzech tokenizatorach",
                   _text(pid, "Twoje zdanie (tokenizator kursu, GPT-2 i GPT-4)", s) + _START),
        "merges": ("Na żywo: BPE scalenie po scaleniu",
                   _text(pid, "Słowo", "przykładowego", area=False)
                   + f'<div class="llmkurs-live-row">{_range(pid, "k", "Liczba scaleń", 0, 4096, 1, 0)}</div>'),
        "pairs": ("Na żywo: pary wejście → cel dla Twojego zdania",
                  _text(pid, "Twoje zdanie", s + ", a potem jeszcze jedno zdanie.")
                  + '<div class="llmkurs-live-row">' + _range(pid, "max_length", "max_length", 1, 8, 1, 4)
                  + _range(pid, "stride", "stride", 1, 8, 1, 1) + "</div>"),
        "embedding": ("Na żywo: wektory Twoich tokenów i ich sąsiedzi",
                      _text(pid, "Twoje zdanie (osadzenia z tabeli tokenów małego GPT)", s) + _START),
        "positions": ("Na żywo: token + pozycja = wejście modelu",
                      _text(pid, "Twoje zdanie", "kot kot kot")
                      + f'<label for="{pid}-kind">Rodzaj pozycji</label><select id="{pid}-kind" data-role="kind">'
                        '<option value="learned">uczone (wytrenowany model)</option><option value="sinusoidal">sinusoidalne</option></select>'
                      + _START),
        "naive": ("Na żywo: uwaga naiwna dla Twojego zdania",
                  _text(pid, "Twoje zdanie (wytrenowane osadzenia tokenów)", s) + _START),
        "scaled": ("Na żywo: zapytania i klucze wytrenowanego modelu",
                   _text(pid, "Twoje zdanie", s) + _check(pid, "scale", "Dziel przez √d_k") + _START),
        "causal": ("Na żywo: uwaga przyczynowa",
                   _text(pid, "Twoje zdanie", s) + _check(pid, "scale", "Dziel przez √d_k")
                   + _check(pid, "causal", "Maska przyczynowa (bez przyszłych tokenów)") + _START),
        "dropout": ("Na żywo: dropout na wagach uwagi",
                    _text(pid, "Twoje zdanie", s) + '<div class="llmkurs-live-row">'
                    + _range(pid, "p", "Prawdopodobieństwo p", 0, 0.9, 0.05, 0.5) + _number(pid, "seed", "Ziarno", 0, 99999, 123)
                    + "</div>" + _START),
        "heads": ("Na żywo: wszystkie głowy wybranej warstwy",
                  _text(pid, "Twoje zdanie", s)
                  + f'<label for="{pid}-layer">Warstwa</label><select id="{pid}-layer" data-role="layer"><option value="0">1</option></select>'
                  + _START),
        "head-switch": ("Na żywo: głowy wybranej warstwy i wyłączanie jednej z nich",
                        _text(pid, "Twoje zdanie", "Książka leży na stole, a kot śpi na")
                        + '<div class="llmkurs-live-row">'
                        + f'<div><label for="{pid}-layer">Warstwa</label><select id="{pid}-layer" data-role="layer"><option value="0">1</option></select></div>'
                        + f'<div><label for="{pid}-head">Głowa</label><select id="{pid}-head" data-role="head"><option value="0">1</option></select></div>'
                        + "</div>" + _check(pid, "off", "Wyłącz wybraną głowę (wyzeruj jej wyjście)") + _START),
        "next-token": ("Na żywo: następny token małego GPT",
                       _text(pid, "Początek tekstu", "Oto fragment")
                       + '<div class="llmkurs-live-row">' + _range(pid, "temperature", "Temperatura", 0, 2, 0.1, 1.0)
                       + _number(pid, "top_k", "top-k (0 = wszystkie)", 0, 100, 0) + _number(pid, "steps", "Ile tokenów generować", 1, 50, 10)
                       + _number(pid, "seed", "Ziarno losowania", 0, 99999, 123) + "</div>"
                       + _START + '<button type="button" data-role="generate">Generuj token po tokenie</button>'
                       + '<div data-top="[]" aria-live="polite"></div>'),
    }[kind]
    return (f'<section class="llmkurs-live" data-live="{kind}" data-ready="false" aria-label="{html.escape(title)}">'
            f'<p class="llmkurs-live-title">{html.escape(title)}</p>{body}'
            f'<div class="llmkurs-live-out" data-role="out" aria-live="polite"></div></section>')


#: Rozdział → panele (rodzaj, słowa kluczowe tytułu sekcji, w kolejności ważności).
PANELS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "01": [("merges", ("BPE ręcznie", "BPE")), ("tokens", ("Twoje zdanie", "Widżet", "GPT-2")), ("pairs", ("Pary", "wejście → cel"))],
    "02": [("embedding", ("Widżet", "sąsiedzi"))],
    "03": [("positions", ("Widżet", "token + pozycja"))],
    "04": [("naive", ("twojego zdania", "Widżet"))],
    "05": [("scaled", ("twojego zdania", "Widżet"))],
    "06": [("causal", ("Widżet",))],
    "07": [("dropout", ("Widżet",))],
    "08": [("heads", ("Widżet",))],
    "09": [("next-token", ("Widżet", "Generowanie", "generowanie"))],
    "10": [("head-switch", ("Widżet: wyłącz", "wyłącz jedną głowę", "Widżet", "Głowy uwagi"))],
    "intro": [("next-token", ("Ta sama droga", "wytrenowanym modelu"))],
}


def _key(docname: str) -> str | None:
    if docname == "intro":
        return "intro"
    m = re.match(r"chapters/(\d\d)-", docname)
    return m.group(1) if m else None


def _sections(doctree):
    for sec in doctree.findall(nodes.section):
        if sec.children and isinstance(sec[0], nodes.title):
            yield sec, sec[0].astext()


def _place(doctree, keywords) -> nodes.Element | None:
    secs = list(_sections(doctree))
    for kw in keywords:
        for sec, title in secs:
            if kw.lower() in title.lower():
                return sec
    return None


def _insert_at_end_of_own_content(sec: nodes.Element, node: nodes.Node) -> None:
    idx = len(sec.children)
    for i, child in enumerate(sec.children):
        if isinstance(child, nodes.section):
            idx = i
            break
    sec.insert(idx, node)


def add_panels(app, doctree) -> None:
    docname = app.env.docname
    key = _key(docname)
    if key is None or key not in PANELS:
        return
    secs = list(_sections(doctree))
    if not secs:
        return
    top = secs[0][0]
    first = next((c for c in top.children if isinstance(c, nodes.section)), top)
    depth = docname.count("/")
    prefix = "../" * depth
    for n, (kind, keywords) in enumerate(PANELS[key]):
        target = _place(doctree, keywords) or first
        html_text = panel_html(kind, f"live-{kind}-{n}")
        if n == 0:
            html_text = _CSS + html_text
        _insert_at_end_of_own_content(target, nodes.raw("", html_text, format="html"))
    script = f'<script type="module" src="{prefix}vendor/live/panels.js"></script>'
    doctree.append(nodes.raw("", script, format="html"))


def setup(app):
    # Lekka pierwsza wizyta: zamrożone widżety jako HTML bez menedżera, plotly.js na żądanie,
    # bez fontawesome.js (_ext/lean_pages.py) – panele „Na żywo” zastępują widżety na stronie.
    app.setup_extension("lean_pages")
    app.connect("doctree-read", add_panels)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
