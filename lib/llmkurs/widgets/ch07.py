"""Widżet i rysunki rozdziału 7: dropout na wagach uwagi.

Dropout (ang. *dropout*) podczas treningu zeruje losowo część wag uwagi (każdą z
prawdopodobieństwem ``p``), a wagi, które przeżyły, mnoży przez ``1/(1−p)`` – dzięki temu
wartość oczekiwana każdej wagi się nie zmienia. Widżet pokazuje wagi przyczynowe przed
dropoutem i po nim: wyzerowane komórki są białe z „×”, przyszłość – szara z „–” (HTML/SVG
z :mod:`llmkurs.draw`, ten sam rysunek co panel „Na żywo” na stronie).
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn

from llmkurs.attention import causal_mask
from llmkurs.draw import Drawing, heatmap_svg, row_html
from llmkurs.errors import require
from llmkurs.explore import explorable
from llmkurs.polish import decimal_pl
from llmkurs.widgets.ch06 import (
    attention_weights,
    axis_labels,
    masked,
    masked_heatmap_figure,
    sentence_tokens,
)
from llmkurs.widgets.common import float_slider, int_slider, interactive, text_box

#: Zdania i ziarna rysunku do odkrywania.
SENTENCES = ("Oto fragment przykładowego wejścia", "Kot siedzi na ciepłym parapecie")
SEEDS = (123, 7)
#: Wartości ``p`` na suwaku rysunku do odkrywania.
P_VALUES = (0.1, 0.3, 0.5, 0.7)


def _check_p(p) -> float:
    require(isinstance(p, (int, float, np.floating)) and not isinstance(p, bool),
            "Prawdopodobieństwo p musi być liczbą, np. 0.5.")
    p = float(p)
    require(0.0 <= p < 1.0, f"Prawdopodobieństwo dropoutu p musi być w przedziale [0, 1), a jest {p}: wybierz np. 0.1 albo 0.5.")
    return p


def apply_dropout(weights: torch.Tensor, p: float, seed: int) -> torch.Tensor:
    """``nn.Dropout(p)`` w trybie treningu na ``weights`` z ziarnem ``seed`` (nowy tensor)."""
    require(isinstance(seed, (int, np.integer)) and not isinstance(seed, bool), "Ziarno musi być liczbą całkowitą, np. 123.")
    p = _check_p(p)
    torch.manual_seed(int(seed))
    dropout = nn.Dropout(p)
    dropout.train()
    with torch.no_grad():
        return dropout(weights)


def dropout_summary(before: torch.Tensor, after: torch.Tensor, p: float) -> dict:
    """Liczby do opisu: ile widocznych wag wyzerowano, skala ocalałych, sumy wierszy."""
    visible = before > 0
    dropped = visible & (after == 0)
    kept = visible & ~dropped
    scale = 1.0 / (1.0 - p)
    return {
        "visible": int(visible.sum()),
        "dropped": int(dropped.sum()),
        "scale": scale,
        "scaled_ok": bool(torch.allclose(after[kept], before[kept] * scale)) if kept.any() else True,
        "row_sums": after.sum(dim=-1),
        "dropped_mask": dropped,
    }


def mark_dropped(ax, dropped: np.ndarray) -> None:
    for i, j in zip(*np.nonzero(dropped)):
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", edgecolor="#9ca3af",
                                   lw=0.8, zorder=4))
        ax.text(j, i, "×", ha="center", va="center", color="#111827", fontsize=15, zorder=5)


def render(zdanie: str = SENTENCES[0], p: float = 0.5, ziarno: int = 123):
    """Wagi przyczynowe zdania przed dropoutem i po nim (``p``, ziarno ``ziarno``)."""
    p = _check_p(p)
    labels, vectors, notes = sentence_tokens(zdanie)
    n = len(labels)
    before = attention_weights(vectors, causal=True)
    after = apply_dropout(before, p, ziarno)
    info = dropout_summary(before, after, p)
    future = causal_mask(n).numpy()
    shown = axis_labels(labels)
    vmax = max(1.0, float(after.max()))
    left = heatmap_svg(masked(before, future), shown, shown, vmin=0.0, vmax=vmax, title="Przed dropoutem")
    right = heatmap_svg(masked(after, future), shown, shown, vmin=0.0, vmax=vmax, marks=info["dropped_mask"].tolist(),
                        title=f"Po dropoucie (p = {decimal_pl(p)}, ocalałe × {decimal_pl(info['scale'])})")
    drawing = Drawing(row_html(left, right, basis=260), before=before.tolist(), after=after.tolist(),
                      dropped=info["dropped_mask"].tolist())
    sums = "; ".join(decimal_pl(float(s)) for s in info["row_sums"])
    text = (
        f'<div style="font-size:14px;line-height:1.6">p = {decimal_pl(p)}: wyzerowano <b>{info["dropped"]}</b> z {info["visible"]} '
        f"widocznych wag (× na białym tle); każda ocalała waga pomnożona przez 1/(1 − p) = <b>{decimal_pl(info['scale'])}</b>"
        f"{' (sprawdzone)' if info['scaled_ok'] else ''}.<br>"
        f"Sumy wierszy po dropoucie: {html.escape(sums)} – już nie zawsze 1, ale średnio tak.</div>"
    )
    return [*notes, text, drawing]


def dropout_widget():
    """Widżet rozdziału 7: zdanie, suwak ``p`` i ziarno. Zwraca ``VBox``."""
    return interactive(
        render,
        title="Dropout na wagach uwagi",
        zdanie=text_box(SENTENCES[0]),
        p=float_slider(0.5, 0.0, 0.9, "Prawdopodobieństwo p:", step=0.1),
        ziarno=int_slider(123, 0, 200, "Ziarno losowania:"),
    )


def dropout_figure(before: torch.Tensor, labels, p: float, seed: int, title: str, zmax: float | None = None):
    """Rysunek plotly: wagi po dropoucie, wyzerowane „×”, przyszłość „–”.

    ``zmax`` – górna granica skali kolorów (wspólna dla wszystkich ``p``, żeby było widać,
    jak ocalałe wartości rosną); domyślnie największa wartość po dropoucie.
    """
    after = apply_dropout(before, p, seed)
    info = dropout_summary(before, after, p)
    n = before.shape[0]
    future = causal_mask(n).numpy() if bool((before == 0).any()) else None
    return masked_heatmap_figure(
        after, labels, labels, future, extra_mask=info["dropped_mask"].numpy(),
        zmax=zmax if zmax is not None else max(1.0, float(after.max())),
        title=f"{title}: p = {decimal_pl(p, 1)}, wyzerowano {info['dropped']} z {info['visible']}, ocalałe × {decimal_pl(info['scale'])}",
    )


def dropout_explorable(sentences=SENTENCES, seeds=SEEDS, p_values=P_VALUES):
    """Rysunek do odkrywania: wzory dropoutu dla kilku ``p`` × zdań i ziaren (plus macierz jedynek)."""
    variants = {}
    ones = torch.ones(6, 6)
    ones_labels = [str(i) for i in range(1, 7)]
    top = 1.0 / (1.0 - max(p_values))
    for seed in seeds:
        variants[f"macierz jedynek 6×6 · ziarno {seed}"] = {
            str(p): dropout_figure(ones, ones_labels, p, seed, "Jedynki", zmax=top) for p in p_values
        }
    for sentence in sentences:
        labels, vectors, _ = sentence_tokens(sentence)
        before = attention_weights(vectors, causal=True)
        for seed in seeds:
            variants[f"{sentence} · ziarno {seed}"] = {
                str(p): dropout_figure(before, labels, p, seed, "Wagi", zmax=float(before.max()) * top) for p in p_values
            }
    return explorable(variants, title="Dropout na wagach uwagi", label="Macierz i ziarno", slider_label="p",
                      alt="Mapa ciepła wag uwagi po dropoucie: wyzerowane komórki są białe ze znakiem ×, "
                          "przyszłe tokeny szare; ocalałe wartości są powiększone o czynnik 1/(1−p).")
