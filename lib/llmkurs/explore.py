"""Rysunki do odkrywania na stronie bez jądra (plotly): wybór przykładu, suwak, podpowiedzi.

Widżety ipywidgets potrzebują działającego jądra Pythona; na statycznej stronie kursu pokazują
tylko stan początkowy. Dlatego każdy rozdział ma też jeden rysunek „do odkrywania”: kilka
przeliczonych wcześniej wariantów (np. zdań przykładowych albo wartości parametru) zapisanych
w samej stronie. Czytelnik wybiera wariant z listy (i ewentualnie suwakiem) i najeżdża myszą na
komórki, żeby odczytać wartości – wszystko dzieje się w przeglądarce.

Użycie w notatniku::

    from llmkurs.explore import explorable, heatmap_figure
    figs = {zdanie: heatmap_figure(wagi, tokeny, tokeny) for zdanie, (wagi, tokeny) in ...}
    explorable(figs, title="Wagi uwagi", alt="Mapa ciepła wag uwagi dla wybranego zdania.")

Wariantami może być słownik ``{etykieta: Figure}`` (lista wyboru) albo słownik słowników
``{etykieta: {wartość_parametru: Figure}}`` (lista wyboru i suwak).

JavaScript plotly na stronie kursu jest serwowany lokalnie (``vendor/plotly.min.js``, patrz
``_config.yml``); w Colabie i JupyterLab ładowany jest z CDN plotly.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs_version

from llmkurs.errors import KursError, require
from llmkurs.polish import plural_pl

#: plotly.js z CDN (poza stroną kursu), w wersji dołączonej do pakietu plotly.
PLOTLY_CDN = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"

#: Skala kolorów plotly odpowiadająca ``viridis`` z matplotlib.
COLORSCALE = "Viridis"


def _np(matrix) -> np.ndarray:
    if hasattr(matrix, "detach"):
        matrix = matrix.detach().cpu().numpy()
    return np.asarray(matrix, dtype=float)


def _round(values, digits: int):
    return np.round(_np(values), digits).tolist()


def _base_layout(title: str | None, height: int | None = None) -> dict:
    layout = dict(
        template="none",
        margin=dict(l=90, r=30, t=50 if title else 20, b=90),
        font=dict(family="sans-serif", size=13),
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    if title:
        layout["title"] = dict(text=title, x=0.02)
    if height:
        layout["height"] = height
    return layout


def heatmap_figure(
    matrix,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    title: str | None = None,
    zmin: float | None = None,
    zmax: float | None = None,
    digits: int = 2,
    row_name: str = "wiersz",
    col_name: str = "kolumna",
    value_name: str = "wartość",
    show_values: bool | None = None,
    colorscale: str = COLORSCALE,
) -> go.Figure:
    """Mapa ciepła plotly z etykietami tokenów, wartościami w komórkach i podpowiedzią.

    Etykiety mogą się powtarzać (np. „kot kot kot”), więc na osiach stawiamy numery pozycji,
    a etykiety tokenów pokazujemy jako podpisy osi.
    """
    z = _np(matrix)
    require(z.ndim == 2, "Mapa ciepła potrzebuje macierzy 2-D.")
    rows, cols = z.shape
    require(len(row_labels) == rows and len(col_labels) == cols, "Liczba etykiet musi być równa liczbie wierszy i kolumn macierzy.")
    if show_values is None:
        show_values = rows * cols <= 196
    zr = _round(z, digits)
    fmt = f"%{{z:.{digits}f}}"
    trace = go.Heatmap(
        z=zr,
        x=list(range(cols)),
        y=list(range(rows)),
        zmin=zmin,
        zmax=zmax,
        colorscale=colorscale,
        text=[[f"{v:.{digits}f}" for v in row] for row in zr] if show_values else None,
        texttemplate="%{text}" if show_values else None,
        customdata=[[[str(row_labels[i]), str(col_labels[j])] for j in range(cols)] for i in range(rows)],
        hovertemplate=f"{row_name}: %{{customdata[0]}}<br>{col_name}: %{{customdata[1]}}<br>{value_name}: {fmt}<extra></extra>",
    )
    layout = _base_layout(title, height=max(260, 60 + 38 * rows + 90))
    layout["xaxis"] = dict(tickmode="array", tickvals=list(range(cols)), ticktext=[str(c) for c in col_labels], tickangle=-45 if cols > 4 else 0, side="bottom")
    layout["yaxis"] = dict(tickmode="array", tickvals=list(range(rows)), ticktext=[str(r) for r in row_labels], autorange="reversed")
    return go.Figure(data=[trace], layout=layout)


def bar_figure(values, labels: Sequence[str], *, title: str | None = None, digits: int = 3, value_name: str = "wartość", yrange=None) -> go.Figure:
    """Wykres słupkowy plotly (np. prawdopodobieństwa następnego tokenu) z podpowiedzią."""
    v = _round(values, digits)
    fig = go.Figure(
        data=[go.Bar(x=[str(lbl) for lbl in labels], y=v, marker_color="#3b528b",
                     hovertemplate=f"%{{x}}<br>{value_name}: %{{y:.{digits}f}}<extra></extra>")],
        layout=_base_layout(title, height=340),
    )
    if yrange is not None:
        fig.update_yaxes(range=list(yrange))
    return fig


class Explorable:
    """Rysunek do odkrywania: HTML z listą wyboru (i suwakiem) oraz zapisanymi wariantami."""

    def __init__(self, variants: Mapping, *, title: str, alt: str, label: str = "Przykład",
                 slider_label: str | None = None, div_id: str | None = None):
        require(len(variants) > 0, "Rysunek do odkrywania potrzebuje co najmniej jednego wariantu.")
        self.title = title
        self.alt = alt
        self.label = label
        self.slider_label = slider_label
        first = next(iter(variants.values()))
        self.nested = isinstance(first, Mapping)
        payload = {}
        for key, value in variants.items():
            if self.nested:
                require(isinstance(value, Mapping) and len(value) > 0, "Każdy wariant z suwakiem musi być niepustym słownikiem {wartość: rysunek}.")
                payload[str(key)] = {str(k): _fig_json(f) for k, f in value.items()}
            else:
                payload[str(key)] = _fig_json(value)
        self.payload = payload
        digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:10]
        self.div_id = div_id or f"llmkurs-explore-{digest}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.__repr__()}

    def __repr__(self) -> str:
        n = len(self.payload)
        extra = ""
        if self.nested:
            k = len(next(iter(self.payload.values())))
            extra = f", suwak: {plural_pl(k, 'wartość', 'wartości', 'wartości')}"
        return f"<Rysunek do odkrywania „{self.title}”: {plural_pl(n, 'wariant', 'warianty', 'wariantów')}{extra}>"

    def to_html(self) -> str:
        did = self.div_id
        keys = list(self.payload)
        options = "".join(f'<option value="{html.escape(k, quote=True)}">{html.escape(k)}</option>' for k in keys)
        slider = ""
        if self.nested:
            n = len(next(iter(self.payload.values())))
            slider = (
                f'<label style="margin-left:1em">{html.escape(self.slider_label or "Parametr")}: '
                f'<input type="range" class="llmkurs-slider" min="0" max="{n - 1}" step="1" value="0" '
                f'aria-label="{html.escape(self.slider_label or "Parametr", quote=True)}"> '
                f'<output class="llmkurs-slider-value"></output></label>'
            )
        data_json = json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<figure class="llmkurs-explorable" id="{did}" role="group" aria-label="{html.escape(self.alt, quote=True)}" '
            f'style="margin:1em 0">'
            f'<div class="llmkurs-controls" style="margin-bottom:6px;font-size:14px">'
            f'<label>{html.escape(self.label)}: <select class="llmkurs-select">{options}</select></label>{slider}</div>'
            f'<div class="llmkurs-plot" role="group" aria-label="{html.escape(self.alt, quote=True)}" style="width:100%;min-height:260px"></div>'
            f'<figcaption style="font-size:13px;color:#4b5563">{html.escape(self.title)} – rysunek do odkrywania: '
            f'wybierz wariant i najedź na komórki, by odczytać wartości (działa na stronie, bez jądra).</figcaption>'
            f'<script type="application/json" class="llmkurs-data">{data_json}</script>'
            f"<script>{_LOADER_JS}llmkursExplore({json.dumps(did)});</script>"
            f"</figure>"
        )


def _fig_json(fig) -> dict:
    if isinstance(fig, go.Figure):
        d = json.loads(fig.to_json())
    elif isinstance(fig, Mapping):
        d = dict(fig)
    else:
        raise KursError("Wariant rysunku musi być obiektem plotly Figure.")
    return {"data": d.get("data", []), "layout": d.get("layout", {})}


def explorable(variants: Mapping, *, title: str, alt: str, label: str = "Przykład",
               slider_label: str | None = None, div_id: str | None = None) -> Explorable:
    """Zbuduj :class:`Explorable` (wyświetla się sam jako ostatnia wartość komórki)."""
    return Explorable(variants, title=title, alt=alt, label=label, slider_label=slider_label, div_id=div_id)


# Skrypt: ładuje plotly.js raz na stronę (lokalnie na stronie kursu, z CDN gdzie indziej),
# omijając require.js (który na stronach z widżetami przejąłby anonimowy moduł AMD). plotly.js
# (1,5 MB) wczytujemy dopiero, gdy rysunek zbliży się do okna przeglądarki albo czytelnik użyje
# jego listy lub suwaka – pierwsza wizyta strony go nie pobiera. ``window.llmkursPlotly`` to
# obiekt z ``then``, który zaczyna ładowanie przy pierwszym użyciu (tak samo działa ze starszymi
# zapisanymi wynikami, które wołały ``window.llmkursPlotly.then``). Strona kursu dołącza ten
# skrypt w ``<head>`` (``_ext/lean_pages.py``), notatnik – w wyniku komórki.
LOADER_JS = (
    "window.llmkursPlotly=window.llmkursPlotly||(function(){var p=null;function load(){"
    "if(p)return p;p=new Promise(function(ok,fail){"
    "if(window.Plotly){ok(window.Plotly);return;}"
    "var root=document.documentElement.dataset.content_root;"
    "var src=(root!==undefined)?root+'vendor/plotly.min.js':" + json.dumps(PLOTLY_CDN) + ";"
    "var s=document.createElement('script');s.src=src;s.async=true;"
    "var d=window.define;window.define=undefined;"
    "s.onload=function(){window.define=d;ok(window.Plotly);};"
    "s.onerror=function(){window.define=d;fail(new Error('plotly.js'));};"
    "document.head.appendChild(s);});return p;}"
    "return {then:function(ok,fail){return load().then(ok,fail);}};})();"
    "window.llmkursExplore=window.llmkursExplore||function(id){"
    "var box=document.getElementById(id);if(!box||box.dataset.ready)return;box.dataset.ready='1';"
    "var data=JSON.parse(box.querySelector('.llmkurs-data').textContent);"
    "var sel=box.querySelector('.llmkurs-select'),rng=box.querySelector('.llmkurs-slider'),"
    "out=box.querySelector('.llmkurs-slider-value'),plot=box.querySelector('.llmkurs-plot');"
    "function current(){var v=data[sel.value];if(rng){var ks=Object.keys(v);"
    "rng.max=ks.length-1;var k=ks[Math.min(+rng.value,ks.length-1)];if(out)out.textContent=k;return v[k];}return v;}"
    "var P=null,started=false;"
    "function draw(){if(!P)return;var f=current();P.react(plot,f.data,f.layout,{responsive:true,displaylogo:false});"
    "box.dataset.shown=sel.value+(rng?'|'+rng.value:'');}"
    "function start(){if(started){draw();return;}started=true;"
    "window.llmkursPlotly.then(function(p){P=p;draw();});}"
    "sel.addEventListener('change',start);sel.addEventListener('focus',start);"
    "if(rng){rng.addEventListener('input',start);rng.addEventListener('focus',start);}"
    "if('IntersectionObserver' in window){var io=new IntersectionObserver(function(es){"
    "if(es.some(function(e){return e.isIntersecting;})){io.disconnect();start();}},{rootMargin:'300px'});io.observe(box);}"
    "else start();};"
)
_LOADER_JS = LOADER_JS
