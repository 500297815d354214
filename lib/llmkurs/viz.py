"""Rysunki kursu (matplotlib): mapy ciepła z etykietami tokenów, tokeny w kolorze, wektory 2-D.

Zasady z przewodnika kursu: etykiety tokenów na obu osiach, wartości w komórkach, gdy się
mieszczą, mapy kolorów czytelne w skali szarości i dla daltonistów (``viridis``, ``cividis``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from llmkurs import draw
from llmkurs.draw import TOKEN_COLORS as TOKEN_COLORS  # te same kolory tokenów co w pasku HTML

#: Domyślna mapa kolorów (czytelna w skali szarości i dla daltonistów).
CMAP = "viridis"


def _to_numpy(matrix) -> np.ndarray:
    if hasattr(matrix, "detach"):
        matrix = matrix.detach().cpu().numpy()
    return np.asarray(matrix, dtype=float)


def decimal_comma(text: str) -> str:
    """Liczba w polskim zapisie: przecinek dziesiętny i znak minus („−0,25”), jak w prozie."""
    return text.replace(".", ",").replace("-", "−")


def heatmap(
    matrix,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    *,
    ax=None,
    title: str | None = None,
    cmap: str = CMAP,
    fmt: str = "{:.2f}",
    annotate: bool | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    mask=None,
    colorbar: bool = True,
):
    """Narysuj macierz jako mapę ciepła z etykietami i (gdy się mieszczą) wartościami.

    ``mask`` (macierz wartości logicznych) zaznacza komórki ukryte: rysujemy je szarym
    kreskowaniem z napisem „–” zamiast wartości (np. przyszłe tokeny w uwadze przyczynowej).
    Zwraca obiekt ``Axes``.
    """
    data = _to_numpy(matrix)
    if data.ndim == 1:
        data = data[None, :]
    if data.ndim != 2:
        raise ValueError(f"Mapa ciepła potrzebuje macierzy 2-D, a dostała tablicę o {data.ndim} wymiarach.")
    rows, cols = data.shape
    if ax is None:
        width = min(1.0 + 0.75 * cols, 14.0)
        height = min(0.8 + 0.55 * rows, 12.0)
        _, ax = plt.subplots(figsize=(max(width, 3.5), max(height, 2.2)))
    shown = np.ma.masked_where(np.asarray(mask, dtype=bool), data) if mask is not None else data
    image = ax.imshow(shown, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    if mask is not None:
        m = np.asarray(mask, dtype=bool)
        for i, j in zip(*np.nonzero(m)):
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#d1d5db", edgecolor="white", hatch="//", lw=0.5))
    if annotate is None:
        annotate = rows * cols <= 144
    if annotate:
        for i in range(rows):
            for j in range(cols):
                if mask is not None and np.asarray(mask, dtype=bool)[i, j]:
                    ax.text(j, i, "–", ha="center", va="center", color="#374151", fontsize=9)
                    continue
                value = data[i, j]
                # Kolor napisu z jasności komórki w tej samej normalizacji co mapa kolorów.
                color = "black" if float(image.norm(value)) > 0.55 else "white"
                ax.text(j, i, decimal_comma(fmt.format(value)), ha="center", va="center", color=color, fontsize=8)
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    if col_labels is not None:
        ax.set_xticklabels(list(col_labels), rotation=45 if cols > 4 else 0, ha="right" if cols > 4 else "center")
    if row_labels is not None:
        ax.set_yticklabels(list(row_labels))
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax


def tokens_html(pieces: Sequence[str], ids: Sequence[int] | None = None, *, title: str | None = None) -> str:
    """HTML z tokenami na kolorowych tłach (kolejne tokeny – kolejne kolory, ID pod spodem).

    Spacje na początku tokenu pokazujemy jako „·”, żeby było widać, gdzie są. To ten sam pasek co
    :func:`llmkurs.draw.tokens_html` (i ``tokensHtml`` w przeglądarce): jedna implementacja.
    """
    return draw.tokens_html(pieces, ids, title=title or "")


def vectors_2d(vectors, labels: Sequence[str], *, ax=None, title: str | None = None, arrows: bool = True):
    """Narysuj wektory 2-D jako strzałki z początku układu (albo punkty) z podpisami."""
    data = _to_numpy(vectors)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError("Do rysunku 2-D potrzebne są wektory o dwóch współrzędnych (macierz n×2).")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    colors = plt.get_cmap(CMAP)(np.linspace(0.05, 0.85, max(len(data), 1)))
    for k, ((x, y), label) in enumerate(zip(data, labels)):
        if arrows:
            ax.annotate("", xy=(x, y), xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=colors[k], lw=1.8))
        ax.scatter([x], [y], color=colors[k], s=25, zorder=3)
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=10)
    pad = 0.15 * (np.abs(data).max() if data.size else 1.0) + 0.2
    ax.set_xlim(min(0, data[:, 0].min()) - pad, max(0, data[:, 0].max()) + pad)
    ax.set_ylim(min(0, data[:, 1].min()) - pad, max(0, data[:, 1].max()) + pad)
    ax.axhline(0, color="#9ca3af", lw=0.8)
    ax.axvline(0, color="#9ca3af", lw=0.8)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax
