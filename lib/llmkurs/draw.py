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
                digits: int = 2, vmin: float | None = None, vmax: float | None = None) -> str:
    """Mapa ciepła jako SVG (``±inf`` = komórka zamaskowana, szara), jak ``heatmapSvg`` w JS."""
    m = _rows(matrix)
    rows, cols = len(m), (len(m[0]) if m else 0)
    finite = [v for row in m for v in row if math.isfinite(v)]
    lo = vmin if vmin is not None else (min(finite) if finite else 0)
    hi = vmax if vmax is not None else (max(finite) if finite else 1)
    span = (hi - lo) or 1
    w = _LABEL_W + cols * _CELL
    h = _LABEL_H + rows * _CELL + (24 if title else 0)
    top = 24 if title else 0
    show_values = cols <= 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="llmkurs-heatmap" role="img" viewBox="0 0 {w} {h}" width="{w}" style="max-width:100%;height:auto">',
           f"<title>{_esc(title or 'Mapa ciepła')}</title>"]
    if title:
        out.append(f'<text x="{_num(w / 2)}" y="16" text-anchor="middle" font-size="14" font-weight="600" fill="currentColor">{_esc(title)}</text>')
    for j in range(cols):
        x, y = _LABEL_W + j * _CELL + _CELL / 2, top + _LABEL_H - 6
        out.append(f'<text transform="translate({_num(x)},{_num(y)}) rotate(-60)" font-size="12" fill="currentColor">{_esc(_short(col_labels[j]))}</text>')
    for i in range(rows):
        y = top + _LABEL_H + i * _CELL
        out.append(f'<text x="{_LABEL_W - 6}" y="{_num(y + _CELL / 2 + 4)}" text-anchor="end" font-size="12" fill="currentColor">{_esc(_short(row_labels[i]))}</text>')
        for j in range(cols):
            v = m[i][j]
            x = _LABEL_W + j * _CELL
            fill = viridis((v - lo) / span) if math.isfinite(v) else "#9ca3af"
            out.append(f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" fill="{fill}"><title>{_esc(row_labels[i])} → {_esc(col_labels[j])}: {fmt(v, 4)}</title></rect>')
            if show_values:
                color = _text_color(fill) if math.isfinite(v) else "#111827"
                out.append(f'<text x="{_num(x + _CELL / 2)}" y="{_num(y + _CELL / 2 + 4)}" text-anchor="middle" font-size="10" fill="{color}">{fmt(v, digits)}</text>')
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
