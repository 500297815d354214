"""Poprawki strony kursu (rozszerzenie Sphinksa), sprawdzane przez ``tests/test_site.py``.

1. **Tekst alternatywny rysunków z komórek kodu.** myst-nb nie daje obrazkom z wyników
   komórek (matplotlib) atrybutu ``alt``, więc HTML dostawał nazwę pliku PNG. Autor może podać
   opis w metadanych komórki: ``"mystnb": {"image": {"alt": "Opis rysunku"}}`` – wtedy zostaje
   bez zmian. W przeciwnym razie budujemy go z tytułów wykresu w kodzie komórki
   (``title="…"``, ``set_title("…")``, ``suptitle("…")``), a gdy ich brak – z tytułu sekcji.
2. **Podwójny skrypt konfiguracji Thebe.** sphinx-thebe rejestruje swój skrypt
   (``const THEBE_JS_URL = …``) dwa razy, co w przeglądarce daje błąd „Identifier
   'THEBE_JS_URL' has already been declared”. Usuwamy powtórzone skrypty na stronie.
3. **Tekst alternatywny obrazków w widżetach.** Zapisany stan widżetu ``Output`` (np. rysunek
   matplotlib pokazany przez widżet) menedżer widżetów wstawia jako ``<img>`` bez ``alt``.
   Mały skrypt (``WIDGET_ALT_JS``) dopisuje opis: „Rysunek widżetu: <nagłówek widżetu> (stan
   początkowy…)”, biorąc nagłówek z pierwszego tekstu HTML w tym samym widżecie.
4. **Colab i Binder tylko przy notatnikach.** Strony MyST-Markdown z kodem (np. wstęp) też
   dostają od motywu przyciski Colab/Binder, które otwierałyby plik ``.md`` (Colab go nie
   otworzy). Na takich stronach zostawiamy tylko *Live Code* (Thebe).
6. **Wykonywanie stron z widżetami bez zawieszeń.** myst-nb wykonuje stronę wstępną przez
   nbclient, a ten (zgłoszenie nbclient #312) potrafi czekać do końca limitu czasu na komórce
   z widżetem ``Output``. Wyłączamy synchronizację tego widżetu w trakcie wykonania (stan i tak
   zapisuje się na końcu) – tak samo jak ``scripts/execute_notebooks.py``.
7. **Dostępność (axe-core, zgłoszenie 10).** ``A11Y_JS`` poprawia to, co axe zgłaszał jako
   poważne na każdej stronie rozdziału: uchwyty suwaków ipywidgets (``role="slider"``) dostają
   ``aria-label`` z etykiety widżetu; przycisk trybu kolorów ma polską nazwę, a jego ikony
   (z własnymi tytułami „Light”, „Dark”) są ukryte przed czytnikiem; obszar wykresu plotly
   w rysunku do odkrywania ma ``role="group"`` zamiast ``img`` (zawiera przyciski paska plotly).
5. **Tryb jasny jako domyślny** (``html_context["default_mode"] = "light"``): bez niego motyw
   zapisuje w konsoli błąd „Got invalid theme mode”, a rysunki z białym tłem są czytelniejsze na
   jasnej stronie. Przy okazji: polski tekst alternatywny logo.
"""

from __future__ import annotations

import re

from docutils import nodes

_TITLE_RE = re.compile(
    r"""(?:\btitle|set_title|suptitle)\s*[=(]\s*[rf]?(?P<q>["'])(?P<text>(?:(?!(?P=q)).)+)(?P=q)"""
)


def _titles_in_code(code: str) -> list[str]:
    found = []
    for match in _TITLE_RE.finditer(code):
        text = re.sub(r"\{[^{}]*\}", "…", match.group("text")).replace("\\n", " ").strip()
        if code[match.end():].lstrip().startswith("+"):   # "…: „" + zdanie + "”"
            text = text.rstrip(" „\"'") + " …"
        if text and text not in found:
            found.append(text)
    return found


def _cell_source(image: nodes.image) -> str | None:
    parent = image.parent
    while parent is not None and parent.get("nb_element") != "cell_code":
        parent = parent.parent
    if parent is None:
        return None
    for child in parent.findall(nodes.container):
        if child.get("nb_element") == "cell_code_source":
            return child.astext()
    return ""


def _section_title(node: nodes.Node) -> str | None:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            return parent[0].astext()
        parent = parent.parent
    return None


def add_missing_alt(app, doctree) -> None:
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        source = _cell_source(image)
        if source is None:
            continue
        titles = _titles_in_code(source)
        if titles:
            image["alt"] = "Rysunek: " + "; ".join(titles)
        else:
            section = _section_title(image)
            image["alt"] = f"Rysunek z części „{section}”" if section else "Rysunek wygenerowany przez komórkę kodu"


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        # Ten sam skrypt bywa zarejestrowany z filename=None i filename="" – traktujemy je jednakowo.
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"] = unique


def launch_buttons_only_for_notebooks(app, pagename, templatename, context, doctree) -> None:
    if str(context.get("page_source_suffix", "")).endswith(".ipynb"):
        return
    for group in context.get("header_buttons", []) or []:
        if isinstance(group, dict) and group.get("label") == "launch-buttons":
            group["buttons"] = [b for b in group.get("buttons", []) if b.get("type") != "link"]
    context["header_buttons"] = [
        g for g in context.get("header_buttons", []) or []
        if not (isinstance(g, dict) and g.get("label") == "launch-buttons" and not g.get("buttons"))
    ]


def default_light_mode(app, config) -> None:
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context
    # Polski tekst alternatywny logo (domyślnie motyw pisze „<tytuł> - Home”).
    options = dict(config.html_theme_options or {})
    logo = dict(options.get("logo") or {})
    logo.setdefault("alt_text", f"{config.html_title or config.project} – strona główna")
    options["logo"] = logo
    config.html_theme_options = options


WIDGET_ALT_JS = """
(function () {
  function label(img) {
    var box = img.closest(".jupyter-widgets.widget-vbox, .jupyter-widgets.widget-box");
    while (box && box.parentElement && box.parentElement.closest(".jupyter-widgets.widget-vbox")) {
      box = box.parentElement.closest(".jupyter-widgets.widget-vbox");
    }
    var head = box && box.querySelector(".widget-html-content");
    var text = head ? head.textContent.trim() : "";
    return "Rysunek widżetu" + (text ? ": " + text : "") +
      " (stan początkowy zapisany w notatniku; uruchom notatnik, by go zmieniać)";
  }
  function fix(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".jupyter-widgets img:not([alt]), .jupyter-widgets img[alt='']")
      .forEach(function (img) { img.setAttribute("alt", label(img)); });
  }
  function start() {
    if (!document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) return;
    new MutationObserver(function () { fix(document); }).observe(document.body, {childList: true, subtree: true});
    fix(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


A11Y_JS = """
(function () {
  function fix() {
    document.querySelectorAll(".jupyter-widgets [role=slider]:not([aria-label])").forEach(function (h) {
      var w = h.closest(".widget-slider, .jupyter-widgets");
      var lab = w && w.querySelector(".widget-label");
      var text = lab ? lab.textContent.trim().replace(/:$/, "") : "";
      h.setAttribute("aria-label", text || "Suwak");
    });
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.setAttribute("aria-label", "Tryb kolorów: jasny, ciemny albo systemowy");
      b.querySelectorAll("svg, i").forEach(function (i) {
        i.setAttribute("aria-hidden", "true"); i.removeAttribute("role"); i.removeAttribute("aria-labelledby");
        i.querySelectorAll("title").forEach(function (t) { t.remove(); });
      });
    });
    // myst-nb: <summary aria-label="Toggle hidden content">Pokaż kod komórki</summary> – nazwa ≠ tekst.
    document.querySelectorAll("summary[aria-label]").forEach(function (s) {
      var text = s.textContent.trim();
      if (text && s.getAttribute("aria-label").indexOf(text) < 0) s.removeAttribute("aria-label");
    });
    document.querySelectorAll(".llmkurs-plot[role=img]").forEach(function (p) { p.setAttribute("role", "group"); });
  }
  var pending = false;
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; fix(); }); } }
  function start() {
    fix();
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


def _no_output_widget_sync() -> None:
    import nbclient.output_widget

    nbclient.output_widget.OutputWidget.sync_state = lambda self: None


def setup(app):
    _no_output_widget_sync()
    app.add_js_file(None, body=WIDGET_ALT_JS)
    app.add_js_file(None, body=A11Y_JS)
    app.connect("config-inited", default_light_mode)
    app.connect("doctree-read", add_missing_alt)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", launch_buttons_only_for_notebooks, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
