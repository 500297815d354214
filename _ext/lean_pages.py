"""Lekka pierwsza wizyta strony rozdziału (zgłoszenie 10: ≤ 4 MB), bez utraty treści.

Co zmieniamy na stronie (notatniki zostają bez zmian):

1. **Zamrożone widżety bez menedżera widżetów.** Menedżer ``@jupyter-widgets/html-manager``
   (3,6 MB i dwie czcionki) pokazywał na stronie tylko stan początkowy widżetów – nic bez jądra
   się nie przelicza. Ten stan (zapisany w notatniku) rysujemy teraz sami jako zwykły HTML:
   wynik widżetu (HTML/SVG, obrazki), a kontrolki jako „opis: wartość”. Ramka mówi, że
   zmieniać go można w Colabie/Binderze, a na stronie liczy panel „Na żywo”. Skryptów
   menedżera, require.js i stanu widżetów (JSON w ``<head>``) na stronie już nie ma.
2. **plotly.js dopiero, gdy trzeba.** Rysunek do odkrywania wczytuje plotly.js (1,5 MB), gdy
   zbliży się do okna przeglądarki albo czytelnik użyje jego listy/suwaka
   (``llmkurs.explore.LOADER_JS`` w ``<head>`` – ta sama funkcja co w notatniku).
3. **Font Awesome bez skryptu.** Motyw dołącza ``fontawesome.js`` (1,5 MB, „dla własnych
   ikon”), choć jego CSS ma już czcionkę z ikonami; skrypt usuwamy po zbudowaniu strony
   (ikony rysuje czcionka, wyglądają tak samo).

MathJax zostaje na stronach ze wzorami (Sphinx i tak dołącza go tylko tam).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

_VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)
_MANAGER = ("html-manager/embed-amd.js", "require.min.js", "widgets-config.js")
_FA = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_FROZEN_NOTE = ("Zapisany stan początkowy widżetu. Zmieniać go można w Colabie albo Binderze "
                "(przycisk z rakietą u góry strony); na stronie liczy na żywo panel „Na żywo”.")


def _control(state: dict) -> str | None:
    """Kontrolka jako „opis: wartość” (None – to nie kontrolka)."""
    name = state.get("_model_name", "")
    desc = state.get("description", "")
    if name in ("TextModel", "TextareaModel"):
        value = state.get("value", "")
        shown = value if len(value) <= 300 else value[:300] + "…"
        return f"{desc} „{shown}”"
    if name in ("IntSliderModel", "FloatSliderModel", "BoundedIntTextModel", "BoundedFloatTextModel", "IntTextModel", "FloatTextModel"):
        value = state.get("value")
        return f"{desc} {str(value).replace('.', ',')}"
    if name in ("DropdownModel", "ToggleButtonsModel", "SelectionSliderModel", "RadioButtonsModel", "SelectModel"):
        labels, index = state.get("_options_labels", []), state.get("index")
        value = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
        return f"{desc} {value}"
    if name in ("CheckboxModel", "ToggleButtonModel"):
        return f"{desc}: {'tak' if state.get('value') else 'nie'}"
    return None


def _output_html(out: dict) -> str:
    data = out.get("data", {}) if out.get("output_type") in ("display_data", "execute_result") else {}
    if "text/html" in data:
        text = data["text/html"]
        return "".join(text) if isinstance(text, list) else text
    if "image/svg+xml" in data:
        text = data["image/svg+xml"]
        return "".join(text) if isinstance(text, list) else text
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{data["image/png"]}" alt="Rysunek widżetu (stan początkowy)">'
    if out.get("output_type") == "stream":
        return f"<pre>{html.escape(''.join(out.get('text', '')))}</pre>"
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def widget_html(model_id: str, models: dict, depth: int = 0) -> str:
    """Stan jednego widżetu (i jego dzieci) jako statyczny HTML."""
    model = models.get(model_id)
    if model is None or depth > 20:
        return ""
    state = model.get("state", {})
    name = state.get("_model_name", model.get("model_name", ""))
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
        kids = [widget_html(str(c).removeprefix("IPY_MODEL_"), models, depth + 1) for c in state.get("children", [])]
        return "".join(k for k in kids if k)
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        value = state.get("value", "")
        return value if name != "LabelModel" else html.escape(value)
    if name == "OutputModel":
        return "".join(_output_html(o) for o in state.get("outputs", []))
    control = _control(state)
    if control is not None:
        return f'<p class="llmkurs-frozen-control">{html.escape(control)}</p>'
    return ""


def frozen_widget(model_id: str, models: dict) -> str:
    body = widget_html(model_id, models)
    # tabindex: ramka przewija się w bok na wąskim ekranie, więc klawiatura musi do niej dojść
    return (f'<div class="llmkurs-frozen" role="group" tabindex="0" aria-label="Zapisany stan widżetu">'
            f'<p class="llmkurs-frozen-note">{html.escape(_FROZEN_NOTE)}</p>{body}</div>')


_CSS = """<style>
.llmkurs-frozen{border:1px dashed var(--pst-color-border,#9ca3af);border-radius:8px;padding:.5rem .75rem;margin:.5rem 0;max-width:100%;overflow-x:auto}
.llmkurs-frozen-note{font-size:.85em;font-style:italic;margin:.2rem 0 .4rem}
.llmkurs-frozen-control{font-family:var(--pst-font-family-monospace,monospace);font-size:.85em;margin:.1rem 0;overflow-wrap:anywhere}
.llmkurs-frozen img{max-width:100%;height:auto}
.llmkurs-frozen svg{max-width:100%;height:auto}
/* Ciemny motyw: zapisany HTML widżetu ma kolory pisane pod jasne tło (jak w Jupyterze), więc ramka
   zostaje jasna – etykiety SVG (currentColor) i szare podpisy mają wtedy pełny kontrast. */
html[data-theme=dark] .llmkurs-frozen{background:#f9fafb;color:#111827}
html[data-theme=dark] .llmkurs-frozen code{color:#111827;background:#e5e7eb}
</style>"""


def lean_page(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files") or []
    state = None
    kept = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        filename = str(getattr(js, "filename", js) or "")
        if attrs.get("type") == "application/vnd.jupyter.widget-state+json":
            try:
                state = json.loads(attrs.get("body") or "{}")
            except json.JSONDecodeError:
                state = {}
            continue
        if any(filename.endswith(m) for m in _MANAGER):
            continue
        kept.append(js)
    context["script_files"] = kept
    body = context.get("body")
    if not body or "application/vnd.jupyter.widget-view+json" not in body:
        return
    models = (state or {}).get("state", {})

    def replace(match) -> str:
        try:
            view = json.loads(html.unescape(match.group(1)))
        except json.JSONDecodeError:
            return ""
        return frozen_widget(str(view.get("model_id", "")), models)

    context["body"] = _CSS + _VIEW.sub(replace, body)


def drop_fontawesome_js(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = _FA.sub("", text)
        if new != text:
            path.write_text(new, encoding="utf-8")


def setup(app):
    from llmkurs.explore import LOADER_JS

    app.add_js_file(None, body=LOADER_JS)
    app.connect("html-page-context", lean_page, priority=950)
    app.connect("build-finished", drop_fontawesome_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
