"""Widżet rozdziału 2 (Osadzenia): tokeny → wektory → najbliżsi sąsiedzi.

Student wpisuje słowo albo zdanie; widzi jego tokeny, ich wektory (mapa ciepła: wiersz = token,
kolumna = współrzędna) i dla każdego tokenu najbliższych sąsiadów w tabeli osadzeń
z podobieństwem kosinusowym na słupkach. Widżet rysuje HTML/SVG (:mod:`llmkurs.draw`, ten sam
rysunek co panel „Na żywo” na stronie), więc odświeża się w milisekundach.

``render`` jest czystą funkcją (łatwą do testów); :func:`embedding_widget` wiąże ją
z kontrolkami. Tabelę osadzeń i tokenizer podaje rozdział (wytrenowane tam osadzenia).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch

from llmkurs.draw import Drawing, bars_html, heatmap_svg, row_html, tokens_html
from llmkurs.embeddings import nearest_neighbors, token_label
from llmkurs.errors import KursTypeError, require, require_type
from llmkurs.explore import bar_figure
from llmkurs.polish import decimal_pl
from llmkurs.widgets.common import Note, int_slider, interactive, shorten, text_box

#: Najwięcej tokenów, dla których rysujemy sąsiadów (dłuższy tekst: pierwsze tokeny i notka).
MAX_TOKENS = 8


def _check_table(weights, tokenizer) -> torch.Tensor:
    if isinstance(weights, torch.nn.Embedding):
        weights = weights.weight
    require_type(weights, torch.Tensor, "Tabela osadzeń musi być tensorem (słownik × wymiar) albo nn.Embedding.")
    require(weights.dim() == 2, f"Tabela osadzeń musi mieć kształt (słownik, wymiar), a ma {tuple(weights.shape)}.")
    require(tokenizer is not None, "Podaj tokenizer (np. polish_tokenizer()).")
    require(weights.shape[0] >= tokenizer.vocab_size, f"Tabela ma {weights.shape[0]} wierszy, a tokenizer {tokenizer.vocab_size} tokenów: użyj tabeli dla tego tokenizera.")
    return weights.detach().float()


def encode_text(text, tokenizer, max_tokens: int = MAX_TOKENS):
    """Zakoduj tekst studenta: zwraca ``(ids, etykiety, notki)``; pusty tekst → polski błąd."""
    if not isinstance(text, str):
        raise KursTypeError("Wpisz słowo albo zdanie jako tekst.")
    text, note = shorten(text)
    require(text.strip() != "", "Wpisz słowo albo zdanie, np. „kot” albo „Pies goni kota”.")
    ids = tokenizer.encode(text)
    notes = [note] if note else []
    if len(ids) > max_tokens:
        notes.append(Note(f"Tekst ma {len(ids)} tokenów; pokazuję pierwsze {max_tokens}."))
        ids = ids[:max_tokens]
    return ids, [token_label(tokenizer, i) for i in ids], notes


def neighbors_figure(weights, tokenizer, ids, k: int = 5, candidates=None, title: str | None = None):
    """Rysunek: dla każdego tokenu z ``ids`` słupki podobieństwa kosinusowego jego ``k`` sąsiadów."""
    w = _check_table(weights, tokenizer)
    require(1 <= k <= 20, "Liczba sąsiadów musi być od 1 do 20.")
    n = len(ids)
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 0.45 * k * rows + 1.2 * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax, tid in zip(axes.flat, ids):
        nb, sims = nearest_neighbors(w, int(tid), k=k, candidates=candidates)
        labels = [token_label(tokenizer, i) for i in nb]
        y = np.arange(len(nb))
        colors = plt.get_cmap("viridis")(0.15 + 0.7 * (np.clip(sims, -1, 1) + 1) / 2)
        ax.barh(y, sims, color=colors)
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.invert_yaxis()
        ax.set_xlim(min(0.0, min(sims) - 0.05), 1.0)
        ax.axvline(0, color="#9ca3af", lw=0.8)
        for yy, s in zip(y, sims):
            ax.text(max(s, 0) + 0.01, yy, decimal_pl(s, 2), va="center", fontsize=8)
        ax.set_title(f"sąsiedzi „{token_label(tokenizer, int(tid))}”", fontsize=10)
        ax.set_xlabel("podobieństwo kosinusowe")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


_NORMS: dict = {}


def _similarities(weights: torch.Tensor, token_id: int) -> torch.Tensor:
    """:func:`~llmkurs.embeddings.cosine_similarities` z normami wierszy policzonymi raz na tabelę."""
    key = (weights.data_ptr(), tuple(weights.shape), weights._version)
    norms = _NORMS.get(key)
    if norms is None:
        _NORMS.clear()
        norms = _NORMS[key] = weights.norm(dim=1)
    require(0 <= token_id < weights.shape[0], f"ID {token_id} jest spoza słownika (0…{weights.shape[0] - 1}).")
    q = weights[token_id]
    return (weights @ q) / (norms * q.norm()).clamp_min(1e-12)


def fast_neighbors(weights: torch.Tensor, token_id: int, k: int, candidates=None) -> tuple[list[int], list[float]]:
    """To samo co :func:`llmkurs.embeddings.nearest_neighbors` (remis – mniejsze ID), ale sortuje
    numpy zamiast Pythona: widżet z ośmioma tokenami odświeża się w milisekundach."""
    sims = _similarities(weights, int(token_id)).double().numpy()
    pool = np.arange(weights.shape[0]) if candidates is None else np.array(sorted({int(c) for c in candidates}), dtype=np.int64)
    pool = pool[(pool != int(token_id)) & (pool >= 0) & (pool < weights.shape[0])]
    order = pool[np.lexsort((pool, -sims[pool]))][:k]
    return order.tolist(), sims[order].tolist()


def neighbors_html(weights, tokenizer, ids, k: int = 5, candidates=None) -> Drawing:
    """Słupki podobieństwa kosinusowego ``k`` sąsiadów każdego tokenu z ``ids`` (HTML).

    ``data["neighbors"]`` to lista ``(id, [(id_sąsiada, podobieństwo), ...])``.
    """
    w = _check_table(weights, tokenizer)
    require(isinstance(k, int) and 1 <= k <= 20, "Liczba sąsiadów musi być od 1 do 20.")
    blocks, found = [], []
    for tid in ids:
        nb, sims = fast_neighbors(w, int(tid), k, candidates)
        found.append((int(tid), list(zip(nb, sims))))
        blocks.append(bars_html([token_label(tokenizer, i) for i in nb], sims, digits=2,
                                title=f"sąsiedzi „{token_label(tokenizer, int(tid))}”"))
    return Drawing(row_html(*blocks, basis=220), neighbors=found)


def vectors_html(vectors, labels) -> Drawing:
    """Wektory tokenów jako mapa ciepła SVG (wiersz = token, kolumna = współrzędna)."""
    v = vectors.detach().float()
    dim = v.shape[1]
    svg = heatmap_svg(v, labels, [str(j) for j in range(dim)], title=f"Wektory tokenów ({v.shape[0]} × {dim})",
                      cell=36 if dim <= 16 else 16)
    return Drawing(svg, vectors=v.tolist())


def render(zdanie: str, sasiedzi: int = 5, *, weights, tokenizer, candidates=None):
    """Tokeny zdania, ich wektory (mapa ciepła) i najbliżsi sąsiedzi każdego tokenu."""
    w = _check_table(weights, tokenizer)
    require(isinstance(sasiedzi, int) and 1 <= sasiedzi <= 20, "Liczba sąsiadów musi być od 1 do 20.")
    ids, labels, notes = encode_text(zdanie, tokenizer)
    return [*notes, tokens_html(labels, ids, title="Tokeny i ich ID"), vectors_html(w[ids], labels),
            neighbors_html(w, tokenizer, ids, k=sasiedzi, candidates=candidates)]


def embedding_widget(weights, tokenizer, candidates=None, zdanie: str = "Pies goni kota"):
    """Widżet: pole na zdanie i suwak liczby sąsiadów; zwraca ``VBox``."""
    _check_table(weights, tokenizer)

    def _render(zdanie, sasiedzi):
        return render(zdanie, sasiedzi, weights=weights, tokenizer=tokenizer, candidates=candidates)

    return interactive(_render, title="Osadzenia: tokeny, wektory i sąsiedzi",
                       zdanie=text_box(zdanie, "Słowo lub zdanie:"),
                       sasiedzi=int_slider(5, 1, 10, "Liczba sąsiadów:"))


def neighbor_bars(weights, tokenizer, word: str, k: int = 6, candidates=None, title: str | None = None):
    """Wykres plotly (do rysunku do odkrywania): sąsiedzi pierwszego tokenu ``word``."""
    w = _check_table(weights, tokenizer)
    ids, labels, _ = encode_text(word, tokenizer)
    nb, sims = nearest_neighbors(w, int(ids[0]), k=k, candidates=candidates)
    names = [token_label(tokenizer, i) for i in nb]
    fig = bar_figure(sims, names, title=title or f"Najbliżsi sąsiedzi „{labels[0]}”", digits=3,
                     value_name="podobieństwo kosinusowe", yrange=(-0.2, 1.0))
    fig.update_yaxes(title_text="podobieństwo kosinusowe")
    return fig
