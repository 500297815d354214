"""Rysunki HTML/SVG wspólne dla widżetów w jądrze i paneli „Na żywo” na stronie.

:func:`heatmap_svg` (mapa ciepła z etykietami tokenów i wartościami w komórkach) oraz
:func:`tokens_html` (tokeny na kolorowych tłach z ID) dają dokładnie ten sam napis co
``web/draw.js`` dla tych samych liczb (test ``web/test/draw.test.js`` porównuje je znak po
znaku). Dzięki temu widżet w Colabie i panel na stronie wyglądają tak samo, a widżet odświeża
się w milisekundach zamiast przerysowywać PNG matplotlib.

Kolory: viridis z 9 punktów kontrolnych i interpolacja liniowa; liczby z przecinkiem
dziesiętnym, zaokrąglane połówkami od zera (jak ``Number.prototype.toFixed``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

TOKEN_COLORS = ("#fde68a", "#a7f3d0", "#bfdbfe", "#fbcfe8", "#ddd6fe", "#fed7aa", "#d9f99d", "#e5e7eb")

_VIRIDIS = (
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
)
_CELL, _LABEL_W, _LABEL_H, _MAX_LABEL = 36, 92, 92, 10


def _esc(s) -> str:
    return html.escape(str(s), quote=True)


def _num(x: float) -> str:
    """Liczba w SVG tak jak ``String(x)`` w JavaScripcie (całkowite bez „.0”)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _half(x: float) -> int:
    return math.floor(x + 0.5)


def fmt(value: float, digits: int = 2) -> str:
    """Liczba z ``digits`` miejscami po przecinku dziesiętnym; ``±inf`` → „∞”/„−∞”."""
    value = float(value)
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞" if value < 0 else "–"
    s = str(Decimal(abs(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    if float(s) == 0:
        return s.replace(".", ",")
    return ("−" if value < 0 else "") + s.replace(".", ",")


def viridis(t: float) -> str:
    """Kolor viridis dla ``t`` ∈ [0, 1] jako ``"#rrggbb"``."""
    if not t >= 0:
        t = 0.0
    if t > 1:
        t = 1.0
    x = t * (len(_VIRIDIS) - 1)
    i = min(len(_VIRIDIS) - 2, math.floor(x))
    f = x - i
    c = [_half(a + (b - a) * f) for a, b in zip(_VIRIDIS[i], _VIRIDIS[i + 1])]
    return "#" + "".join(f"{v:02x}" for v in c)


def _text_color(hex_color: str) -> str:
    r, g, b = (int(hex_color[k:k + 2], 16) for k in (1, 3, 5))
    return "#111827" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def _short(s) -> str:
    t = str(s).replace(" ", "·").replace("\n", "↵")
    return t[:_MAX_LABEL - 1] + "…" if len(t) > _MAX_LABEL else t


def _rows(matrix) -> list[list[float]]:
    if hasattr(matrix, "detach"):
        matrix = matrix.detach().cpu().tolist()
    elif hasattr(matrix, "tolist"):
        matrix = matrix.tolist()
    return [[float(v) for v in row] for row in matrix]


def heatmap_svg(matrix, row_labels: Sequence[str], col_labels: Sequence[str], *, title: str = "",
                digits: int = 2, vmin: float | None = None, vmax: float | None = None, cell: int = _CELL,
                marks=None, focus_row: int | None = None) -> str:
    """Mapa ciepła jako SVG, jak ``heatmapSvg`` w JS.

    ``±inf`` = komórka zamaskowana (szara, „–”); ``marks`` (macierz wartości logicznych) = komórki
    wyzerowane (białe z „×”, np. dropout); ``focus_row`` (od 0) – wiersz w czerwonej ramce;
    ``cell`` – bok komórki w pikselach (wartości w komórkach, gdy kolumn ≤ 16 i ``cell`` ≥ 28).
    """
    m = _rows(matrix)
    rows, cols = len(m), (len(m[0]) if m else 0)
    marked = [[bool(v) for v in row] for row in _rows(marks)] if marks is not None else None
    finite = [v for row in m for v in row if math.isfinite(v)]
    lo = vmin if vmin is not None else (min(finite) if finite else 0)
    hi = vmax if vmax is not None else (max(finite) if finite else 1)
    span = (hi - lo) or 1
    cs = int(cell)
    # miejsce na etykiety według najdłuższej (najwyżej 10 znaków): krótkie etykiety nie zostawiają pustki
    lab_w = min(_LABEL_W, 16 + 7 * max([1, *(len(_short(s)) for s in row_labels[:rows])]))
    lab_h = min(_LABEL_H, 18 + 7 * max([1, *(len(_short(s)) for s in col_labels[:cols])]))
    w = max(lab_w + cols * cs, int(len(title) * 7.5) + 8)  # tytuł mieści się nad wąską mapą
    h = lab_h + rows * cs + (24 if title else 0)
    top = 24 if title else 0
    show_values = cols <= 16 and cs >= 28
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="llmkurs-heatmap" role="img" viewBox="0 0 {w} {h}" width="{w}" style="max-width:100%;height:auto">',
           f"<title>{_esc(title or 'Mapa ciepła')}</title>"]
    if title:
        out.append(f'<text x="{_num(w / 2)}" y="16" text-anchor="middle" font-size="14" font-weight="600" fill="currentColor">{_esc(title)}</text>')
    for j in range(cols):
        x, y = lab_w + j * cs + cs / 2, top + lab_h - 6
        out.append(f'<text transform="translate({_num(x)},{_num(y)}) rotate(-60)" font-size="12" fill="currentColor">{_esc(_short(col_labels[j]))}</text>')
    for i in range(rows):
        y = top + lab_h + i * cs
        out.append(f'<text x="{lab_w - 6}" y="{_num(y + cs / 2 + 4)}" text-anchor="end" font-size="12" fill="currentColor">{_esc(_short(row_labels[i]))}</text>')
        for j in range(cols):
            v = m[i][j]
            x = lab_w + j * cs
            dropped = marked is not None and marked[i][j] and math.isfinite(v)
            fill = "#ffffff" if dropped else viridis((v - lo) / span) if math.isfinite(v) else "#9ca3af"
            out.append(f'<rect x="{x}" y="{y}" width="{cs}" height="{cs}" fill="{fill}"><title>{_esc(row_labels[i])} → {_esc(col_labels[j])}: {fmt(v, 4)}</title></rect>')
            if show_values:
                color = _text_color(fill) if math.isfinite(v) else "#111827"
                shown = "×" if dropped else fmt(v, digits) if math.isfinite(v) else "–"
                out.append(f'<text x="{_num(x + cs / 2)}" y="{_num(y + cs / 2 + 4)}" text-anchor="middle" font-size="10" fill="{color}">{shown}</text>')
    if focus_row is not None and 0 <= focus_row < rows:
        out.append(f'<rect x="{lab_w}" y="{top + lab_h + focus_row * cs}" width="{cols * cs}" height="{cs}" fill="none" stroke="#dc2626" stroke-width="3"/>')
    out.append("</svg>")
    return "".join(out)


def tokens_html(pieces: Sequence[str], ids: Sequence[int] | None = None, *, title: str = "") -> str:
    """Tokeny na kolorowych tłach z ID pod spodem, jak ``tokensHtml`` w JS."""
    parts = []
    if title:
        parts.append(f'<div style="font-weight:600;margin:4px 0">{_esc(title)}</div>')
    parts.append('<div class="llmkurs-tokens" style="line-height:2.4;font-family:monospace;font-size:14px">')
    for k, piece in enumerate(pieces):
        color = TOKEN_COLORS[k % len(TOKEN_COLORS)]
        shown = _esc(piece.replace(" ", "·").replace("\n", "↵"))
        sub = f'<sub style="color:#374151;font-size:10px">{ids[k]}</sub>' if ids is not None else ""
        parts.append(f'<span style="display:inline-block;background:{color};color:#111827;padding:2px 3px;margin:1px;border-radius:3px;white-space:pre">{shown}{sub}</span>')
    parts.append("</div>")
    return "".join(parts)


def bars_html(labels: Sequence[str], values: Sequence[float], *, digits: int = 3, title: str = "",
              highlight: int | None = None) -> str:
    """Poziome słupki (np. prawdopodobieństwa, podobieństwa) jako HTML, jak ``barsHtml`` w JS.

    Długość słupka: wartość / największa wartość (ujemne – słupek zerowy, liczba obok zostaje);
    ``highlight`` – numer słupka w kolorze pomarańczowym (np. wybrany token).
    """
    vals = [float(v) for v in values]
    top = max([1e-12, *vals])
    out = [f'<div style="font-weight:600;margin:4px 0">{_esc(title)}</div>'] if title else []
    for i, (lab, v) in enumerate(zip(labels, vals)):
        pct = _fixed(max(0.0, 100 * v / top), 1)
        color = "#d97706" if i == highlight else "#3b528b"
        out.append('<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
                   f'<span style="min-width:7em;font-family:monospace;white-space:pre">{_esc(_short(lab))}</span>'
                   f'<span style="flex:1;min-width:0"><span style="display:block;height:14px;width:{pct}%;background:{color};border-radius:2px"></span></span>'
                   f'<span style="font-family:monospace">{fmt(v, digits)}</span></div>')
    return "".join(out)


def _fixed(x: float, digits: int) -> str:
    """Napis jak ``Number.prototype.toFixed`` dla x ≥ 0 (połówki w górę, na dokładnej wartości)."""
    return str(Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def row_html(*parts: str, basis: int = 280) -> str:
    """Rysunki obok siebie, zawijane na wąskim ekranie (każdy najmniej ``basis`` pikseli)."""
    cells = "".join(f'<div style="flex:1 1 {basis}px;min-width:0">{p}</div>' for p in parts)
    return f'<div class="llmkurs-row" style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">{cells}</div>'


class Drawing:
    """Rysunek HTML/SVG zwracany przez ``render`` widżetu, razem z liczbami, z których powstał.

    W notatniku wyświetla się jako HTML; ``data`` (słownik nazwa → lista/liczby) służy testom
    i każdemu, kto chce sprawdzić liczby na rysunku.
    """

    def __init__(self, text: str, **data):
        self.text = text
        self.data = data

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<rysunek HTML/SVG: {', '.join(self.data) or 'bez danych'}>"


_LINE_COLORS = ("#3b528b", "#21918c", "#d97706", "#5ec962", "#440154", "#b45309")


def line_svg(xs: Sequence[float], series: dict, *, title: str = "", xlabel: str = "", ylabel: str = "",
             logx: bool = False, marker_x: float | None = None, ymin: float | None = None,
             ymax: float | None = None, width: int = 520, height: int = 300) -> str:
    """Wykres liniowy jako SVG: ``series`` to ``{nazwa: wartości}`` dla punktów ``xs``.

    ``logx`` – oś X w skali logarytmicznej (o podstawie 2), ``marker_x`` – pionowa czerwona
    linia (np. wybrane ``d_k``). Liczby na osiach z przecinkiem dziesiętnym.
    """
    xs = [float(x) for x in xs]
    vals = {name: [float(v) for v in ys] for name, ys in series.items()}
    flat = [v for ys in vals.values() for v in ys if math.isfinite(v)]
    lo = ymin if ymin is not None else (min(flat) if flat else 0.0)
    hi = ymax if ymax is not None else (max(flat) if flat else 1.0)
    hi = hi if hi > lo else lo + 1
    fx = (lambda x: math.log2(x)) if logx else (lambda x: x)
    x0, x1 = fx(min(xs)), fx(max(xs))
    x1 = x1 if x1 > x0 else x0 + 1
    left, right, top, bottom = 56, 12, 28 if title else 10, 44
    legend_h = 18 * len(vals)
    ph, pw = height - top - bottom, width - left - right

    def px(x):
        return left + (fx(x) - x0) / (x1 - x0) * pw

    def py(y):
        return top + (1 - (y - lo) / (hi - lo)) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="llmkurs-line" role="img" viewBox="0 0 {width} {height + legend_h}" '
           f'width="{width}" style="max-width:100%;height:auto"><title>{_esc(title or "Wykres")}</title>']
    if title:
        out.append(f'<text x="{width / 2:.1f}" y="16" text-anchor="middle" font-size="13" font-weight="600" fill="currentColor">{_esc(title)}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="currentColor" stroke-opacity="0.4"/>')
    for k in range(5):
        y = lo + (hi - lo) * k / 4
        out.append(f'<text x="{left - 4}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="10" fill="currentColor">{fmt(y, 2)}</text>')
    ticks = xs if len(xs) <= 12 else xs[:: max(1, len(xs) // 10)]
    for x in ticks:
        label = str(int(x)) if float(x).is_integer() else fmt(x, 1)
        out.append(f'<text x="{px(x):.1f}" y="{top + ph + 14}" text-anchor="middle" font-size="10" fill="currentColor">{label}</text>')
    if xlabel:
        out.append(f'<text x="{left + pw / 2:.1f}" y="{top + ph + 32}" text-anchor="middle" font-size="11" fill="currentColor">{_esc(xlabel)}</text>')
    if ylabel:
        out.append(f'<text transform="translate(12,{top + ph / 2:.1f}) rotate(-90)" text-anchor="middle" font-size="11" fill="currentColor">{_esc(ylabel)}</text>')
    if marker_x is not None:
        out.append(f'<line x1="{px(marker_x):.1f}" x2="{px(marker_x):.1f}" y1="{top}" y2="{top + ph}" stroke="#dc2626" stroke-width="1.5"/>')
    for k, (name, ys) in enumerate(vals.items()):
        color = _LINE_COLORS[k % len(_LINE_COLORS)]
        dash = "" if k % 2 == 0 else ' stroke-dasharray="5 3"'
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys) if math.isfinite(y))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        for x, y in zip(xs, ys):
            if math.isfinite(y):
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.5" fill="{color}"><title>{_esc(name)}: {fmt(x, 0) if float(x).is_integer() else fmt(x, 2)} → {fmt(y, 3)}</title></circle>')
        ly = height + 18 * k + 4
        out.append(f'<line x1="{left}" x2="{left + 24}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/>'
                   f'<text x="{left + 30}" y="{ly + 4}" font-size="11" fill="currentColor">{_esc(name)}</text>')
    out.append("</svg>")
    return "".join(out)
