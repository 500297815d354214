"""Widżet, tabela kształtów, pomiar czasu i rysunki rozdziału 8: wiele głów uwagi.

- :func:`render` / :func:`multihead_widget` – student wpisuje zdanie, wybiera liczbę głów
  i szerokość ``d_out``; widzi jedną mapę wag na głowę (``d_out`` musi dzielić się przez
  liczbę głów – inaczej polska podpowiedź z najbliższymi poprawnymi wartościami).
- :func:`shape_table` – kształt każdego kroku w :class:`~llmkurs.attention.MultiHeadAttention`
  policzony naprawdę (nie wpisany ręcznie) i :func:`shape_table_html` do wyświetlenia.
- :func:`median_time`, :func:`compare_times` – mediany czasów po rozgrzewce (rozdział i ``bench``).
- :func:`heads_explorable` – rysunek do odkrywania: wagi każdej głowy dla kilku zdań.

Wagi modułów są losowe (ziarno 123), nie wytrenowane: głowy różnią się, bo mają różne
``Wq``, ``Wk``, ``Wv``, a nie dlatego, że czegoś się nauczyły (to pokaże rozdział 9).
"""

from __future__ import annotations

import html
import statistics
import time
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch

from llmkurs.attention import causal_mask
from llmkurs.draw import Drawing, heatmap_svg, row_html
from llmkurs.errors import require
from llmkurs.explore import explorable
from llmkurs.polish import decimal_pl, plural_pl
from llmkurs.widgets.ch06 import (
    axis_labels,
    masked,
    masked_heatmap_figure,
    sentence_tokens,
)
from llmkurs.widgets.common import int_slider, interactive, text_box

#: Wymiar wektorów słów w widżecie i rysunku rozdziału 8.
D_IN = 8
#: Najwięcej tokenów na mapach głów (kilka map obok siebie musi się zmieścić).
MAX_TOKENS = 10
#: Najwięcej głów w widżecie.
MAX_HEADS = 8
#: Ziarno wag modułu.
SEED = 123

SENTENCES = (
    "Oto fragment przykładowego wejścia",
    "Kot siedzi na ciepłym parapecie",
    "Polski język jest trudny, on pokazał mi język",
    "Jutro rano pojedziemy nad jezioro",
)


def divisibility_hint(d_out: int, num_heads: int) -> str:
    """Polska podpowiedź, gdy ``d_out`` nie dzieli się przez ``num_heads`` (najbliższe wielokrotności)."""
    lower = (d_out // num_heads) * num_heads
    upper = lower + num_heads
    options = [v for v in (lower, upper) if v >= num_heads]
    choice = " albo ".join(f"d_out = {v}" for v in options)
    return (f"d_out = {d_out} nie dzieli się przez liczbę głów {num_heads} (każda głowa dostaje d_out / liczba głów "
            f"wymiarów): wybierz {choice} albo inną liczbę głów.")


def _check_int(value, name: str, low: int, high: int) -> int:
    require(isinstance(value, (int, np.integer)) and not isinstance(value, bool),
            f"{name} musi być liczbą całkowitą.")
    require(low <= int(value) <= high, f"{name} musi być w przedziale od {low} do {high}, a jest {value}.")
    return int(value)


def head_weights(vectors: torch.Tensor, num_heads: int, d_out: int, seed: int = SEED) -> torch.Tensor:
    """Wagi uwagi każdej głowy ``(głowy, tokeny, tokeny)`` z :class:`MultiHeadAttention` (ziarno ``seed``)."""
    from llmkurs.attention import MultiHeadAttention

    require(d_out % num_heads == 0, divisibility_hint(d_out, num_heads))
    n, d_in = vectors.shape
    torch.manual_seed(seed)
    mha = MultiHeadAttention(d_in, d_out, n, 0.0, num_heads)
    mha.eval()
    with torch.no_grad():
        mha(vectors.unsqueeze(0))
    return mha.last_weights[0]


def render(zdanie: str = SENTENCES[0], liczba_glow: int = 4, d_out: int = 8):
    """Jedna mapa wag na głowę dla zdania studenta (``MultiHeadAttention``, wagi losowe)."""
    liczba_glow = _check_int(liczba_glow, "Liczba głów", 1, MAX_HEADS)
    d_out = _check_int(d_out, "Szerokość d_out", 1, 512)
    require(d_out % liczba_glow == 0, divisibility_hint(d_out, liczba_glow))
    labels, vectors, notes = sentence_tokens(zdanie, max_tokens=MAX_TOKENS, dim=D_IN)
    weights = head_weights(vectors, liczba_glow, d_out)
    n = len(labels)
    shown = axis_labels(labels)
    mask = causal_mask(n).numpy()
    maps = [heatmap_svg(masked(weights[h], mask), shown, shown, vmin=0.0, vmax=1.0, title=f"Głowa {h + 1}")
            for h in range(liczba_glow)]
    head_dim = d_out // liczba_glow
    caption = (f'<div style="font-weight:600">{plural_pl(liczba_glow, "głowa", "głowy", "głów")} × '
               f'{plural_pl(head_dim, "wymiar", "wymiary", "wymiarów")} = d_out {d_out} (wagi losowe, ziarno {SEED})</div>')
    drawing = Drawing(caption + row_html(*maps, basis=220), weights=weights.tolist())
    spread = f"{float((weights - weights.mean(dim=0, keepdim=True)).abs().max()):.2f}".replace(".", ",")
    text = (f'<div style="font-size:14px">Każda głowa ma własne W<sub>q</sub>, W<sub>k</sub>, W<sub>v</sub> '
            f"(po {plural_pl(head_dim, 'kolumnie', 'kolumny', 'kolumn')} z {d_out}), więc patrzy inaczej: największa różnica wagi "
            f"między głową a średnią głów to {spread}.</div>")
    return [*notes, text, drawing]


def multihead_widget():
    """Widżet rozdziału 8: zdanie, liczba głów, ``d_out``. Zwraca ``VBox``."""
    return interactive(
        render,
        title="Wagi każdej głowy uwagi",
        zdanie=text_box(SENTENCES[0]),
        liczba_glow=int_slider(4, 1, MAX_HEADS, "Liczba głów:"),
        d_out=int_slider(8, 1, 32, "Szerokość d_out (wszystkie głowy razem):"),
    )


def shape_table(batch: int = 2, num_tokens: int = 6, d_in: int = 3, d_out: int = 4, num_heads: int = 2, seed: int = SEED):
    """Kształty kolejnych kroków :class:`MultiHeadAttention` policzone na prawdziwym tensorze.

    Zwraca listę ``(krok, kod, kształt)``; ostatni wiersz sprawdza, że wynik krok po kroku
    jest równy wynikowi modułu (inaczej :class:`~llmkurs.errors.KursError`).
    """
    from llmkurs.attention import MultiHeadAttention

    require(d_out % num_heads == 0, divisibility_hint(d_out, num_heads))
    torch.manual_seed(seed)
    mha = MultiHeadAttention(d_in, d_out, num_tokens, 0.0, num_heads)
    x = torch.rand(batch, num_tokens, d_in)
    b, n, hd = batch, num_tokens, d_out // num_heads
    rows = [("wejście", "x", x)]
    with torch.no_grad():
        q = mha.W_query(x)
        k, v = mha.W_key(x), mha.W_value(x)
        rows.append(("projekcja zapytań (tak samo K, V)", "queries = W_query(x)", q))
        q4 = q.view(b, n, num_heads, hd)
        rows.append(("podział na głowy", "queries.view(b, n, num_heads, head_dim)", q4))
        qh = q4.transpose(1, 2)
        kh = k.view(b, n, num_heads, hd).transpose(1, 2)
        vh = v.view(b, n, num_heads, hd).transpose(1, 2)
        rows.append(("głowy przed tokenami", ".transpose(1, 2)", qh))
        kt = kh.transpose(2, 3)
        rows.append(("klucze transponowane", "keys.transpose(2, 3)", kt))
        scores = qh @ kt
        rows.append(("wyniki uwagi", "queries @ keys.transpose(2, 3)", scores))
        scores = scores.masked_fill(causal_mask(n), -torch.inf)
        weights = torch.softmax(scores / hd ** 0.5, dim=-1)
        rows.append(("wagi (maska, softmax)", "softmax(masked / head_dim**0.5, dim=-1)", weights))
        ctx = weights @ vh
        rows.append(("kontekst każdej głowy", "attn_weights @ values", ctx))
        ctx_t = ctx.transpose(1, 2)
        rows.append(("tokeny przed głowami", "context.transpose(1, 2)", ctx_t))
        merged = ctx_t.contiguous().view(b, n, d_out)
        rows.append(("sklejenie głów", ".contiguous().view(b, n, d_out)", merged))
        out = mha.out_proj(merged)
        rows.append(("projekcja wyjściowa", "out_proj(context)", out))
        require(torch.allclose(out, mha(x), atol=1e-6), "Wynik krok po kroku różni się od modułu – zgłoś to autorom kursu.")
    return [(step, code, tuple(t.shape)) for step, code, t in rows]


def shape_table_html(rows, names: str = "b, n, d_in, d_out, num_heads, head_dim") -> str:
    """Tabela HTML z wierszy :func:`shape_table`."""
    body = "".join(
        f"<tr><td>{i}</td><td>{html.escape(step)}</td><td><code>{html.escape(code)}</code></td>"
        f"<td><code>{html.escape(str(shape))}</code></td></tr>"
        for i, (step, code, shape) in enumerate(rows)
    )
    return ('<table style="border-collapse:collapse;font-size:14px"><thead><tr><th>#</th><th>krok</th><th>kod</th>'
            f"<th>kształt</th></tr></thead><tbody>{body}</tbody></table>")


def median_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> float:
    """Mediana czasu (w sekundach) ``repeats`` wywołań ``fn`` po ``warmup`` rozgrzewkach, bez gradientów."""
    require(isinstance(repeats, int) and repeats >= 1, "Liczba powtórzeń musi być dodatnią liczbą całkowitą.")
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare_times(variants: dict, repeats: int = 5, warmup: int = 1) -> dict:
    """Mediany czasów (s) kilku wariantów ``{nazwa: funkcja}``, mierzonych na przemian.

    Po rozgrzewce każda runda mierzy wszystkie warianty po kolei, więc chwilowe obciążenie
    maszyny (inne procesy) rozkłada się na nie równo, zamiast psuć jeden z nich.
    """
    require(isinstance(repeats, int) and repeats >= 1, "Liczba powtórzeń musi być dodatnią liczbą całkowitą.")
    times = {name: [] for name in variants}
    with torch.no_grad():
        for fn in variants.values():
            for _ in range(warmup):
                fn()
        for _ in range(repeats):
            for name, fn in variants.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def speed_figure(times: dict, title: str):
    """Wykres słupkowy (matplotlib) czasów w milisekundach, z wartościami nad słupkami."""
    names = list(times)
    ms = [times[k] * 1000 for k in names]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    colors = plt.get_cmap("viridis")(np.linspace(0.15, 0.75, len(names)))
    bars = ax.bar(names, ms, color=colors)
    for bar, value in zip(bars, ms):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{decimal_pl(value, 1)} ms", ha="center", va="bottom")
    ax.set_ylabel("czas jednego przebiegu [ms]")
    ax.set_title(title)
    ax.set_ylim(0, max(ms) * 1.18)
    fig.tight_layout()
    return fig


def heads_explorable(sentences=SENTENCES, num_heads: int = 4, d_out: int = 8):
    """Rysunek do odkrywania: wagi każdej głowy (suwak) dla kilku zdań (lista)."""
    from llmkurs.attention import sentence_vectors

    variants = {}
    for sentence in sentences:
        labels, vectors = sentence_vectors(sentence, dim=D_IN, seed=123, tokenizer="words")
        labels = list(labels)
        weights = head_weights(vectors, num_heads, d_out)
        mask = causal_mask(len(labels)).numpy()
        variants[sentence] = {
            f"głowa {h + 1}": masked_heatmap_figure(weights[h], labels, labels, mask,
                                                    title=f"Głowa {h + 1} z {num_heads} (head_dim = {d_out // num_heads}); szare – przyszłość")
            for h in range(num_heads)
        }
    return explorable(variants, title="Wagi uwagi w każdej głowie", label="Zdanie", slider_label="Głowa",
                      alt=f"Mapy ciepła wag uwagi przyczynowej dla {num_heads} głów jednego modułu MultiHeadAttention; "
                          "suwak wybiera głowę, lista – zdanie. Każda głowa rozkłada uwagę inaczej.")
