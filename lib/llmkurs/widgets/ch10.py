"""Widżet i rysunki rozdziału 10: katalog głów uwagi i wyłączanie jednej głowy.

- :func:`head_kind` – rodzaj głowy z katalogu :func:`llmkurs.model.head_stats`: największy z trzech
  udziałów uwagi (poprzedni token, pierwszy token, sam token), jeśli jeden token dostaje średnio
  co najmniej ``KIND_THRESHOLD`` uwagi; inaczej „inne” (uwaga rozłożona na wiele tokenów – reszta
  do 1 jest sumą po wielu tokenach, więc porównywanie jej wprost z udziałem jednego tokenu
  prawie zawsze dawałoby „inne”).
- :func:`catalogue_figure` – rysunek warstwa × głowa: rodzaj (kolor, kreskowanie i napis
  w komórce, więc czyta się też w szarości) i wzrost straty po wyłączeniu głowy.
- :func:`zeroed_head` – menedżer kontekstu, który zeruje wyjście jednej głowy: haczyk
  (ang. *forward pre-hook*) na ``block.att.out_proj`` zeruje kolumny tej głowy w wejściu
  projekcji wyjściowej – tak samo jak ablacja w ``head_stats``.
- :func:`render_head_switch` / :func:`head_switch_widget` – zdanie studenta, warstwa i głowa:
  statystyki głowy na tym zdaniu i (przełącznik) rozkład następnego tokenu przed i po wyłączeniu.
"""

from __future__ import annotations

import html
from contextlib import contextmanager

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from llmkurs.errors import require, require_type
from llmkurs.widgets.common import HtmlText, Note, int_slider, interactive, text_box

#: Rodzaje głów (klucze ``head_stats`` i „inne”) z etykietami w rysunkach.
KINDS = ("previous", "first", "self", "other")
KIND_LABELS = {"previous": "poprzedni token", "first": "pierwszy token", "self": "sam token", "other": "inne (rozproszona)"}
KIND_SHORT = {"previous": "poprz.", "first": "pierw.", "self": "sam", "other": "inne"}
#: Kolory z palety cividis (czytelne dla daltonistów) i kreskowania (czytelne w szarości).
KIND_COLORS = {"previous": "#00224e", "first": "#7d7c78", "self": "#fee838", "other": "#ffffff"}
KIND_HATCHES = {"previous": "", "first": "//", "self": "..", "other": "xx"}

#: Zdanie domyślne widżetu.
DEFAULT_SENTENCE = "Książka leży na stole, a kot śpi na"


def _pl(x: float, digits: int = 2) -> str:
    if round(x, digits) == 0:
        x = 0.0  # bez „−0,00”
    return f"{x:.{digits}f}".replace(".", ",").replace("-", "−")


def kind_shares(stat: dict) -> dict[str, float]:
    """Udziały uwagi głowy: poprzedni, pierwszy, sam token i „inne” (reszta do 1)."""
    shares = {k: float(stat[k]) for k in KINDS[:3]}
    shares["other"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


#: Najmniejszy średni udział jednego tokenu (poprzedniego, pierwszego albo samego), od którego
#: głowa dostaje jego rodzaj; poniżej – „inne”.
KIND_THRESHOLD = 0.3


def head_kind(stat: dict, threshold: float = KIND_THRESHOLD) -> str:
    """Rodzaj głowy: ``previous``, ``first`` albo ``self`` – największy z tych trzech udziałów, jeśli
    wynosi co najmniej ``threshold`` – w przeciwnym razie ``other``."""
    shares = kind_shares(stat)
    best = max(KINDS[:3], key=lambda k: shares[k])
    return best if shares[best] >= threshold else "other"


def catalogue_figure(stats: list[dict], title: str = "Katalog głów małego GPT"):
    """Rysunek katalogu głów: po lewej rodzaj głowy, po prawej wzrost straty po jej wyłączeniu."""
    require(isinstance(stats, list) and len(stats) > 0, "Podaj listę statystyk głów z head_stats(model, ids).")
    n_layers = 1 + max(s["layer"] for s in stats)
    n_heads = 1 + max(s["head"] for s in stats)
    ablation = np.zeros((n_layers, n_heads))
    cell_w = 0.95 if n_heads <= 4 else 0.62
    fig, (ax_kind, ax_abl) = plt.subplots(1, 2, figsize=(2 * (n_heads * cell_w + 1.4), n_layers * 0.7 + 1.8))
    for s in stats:
        row, col = s["layer"], s["head"]
        ablation[row, col] = s["ablation"]
        kind = head_kind(s)
        share = kind_shares(s)[kind]
        ax_kind.add_patch(plt.Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=KIND_COLORS[kind],
                                        hatch=KIND_HATCHES[kind], edgecolor="#555555", lw=0.8))
        ax_kind.text(col, row, f"{KIND_SHORT[kind]}\n{_pl(share)}", ha="center", va="center", fontsize=8,
                     color="white" if kind == "previous" else "black",
                     bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 1} if kind in ("first", "other") else None)
    for ax in (ax_kind, ax_abl):
        ax.set_xticks(range(n_heads))
        ax.set_xticklabels([str(h + 1) for h in range(n_heads)])
        ax.set_yticks(range(n_layers))
        ax.set_yticklabels([str(layer + 1) for layer in range(n_layers)])
        ax.set_xlabel("głowa")
        ax.set_ylabel("warstwa")
    ax_kind.set_xlim(-0.5, n_heads - 0.5)
    ax_kind.set_ylim(n_layers - 0.5, -0.5)
    ax_kind.set_aspect("equal")
    ax_kind.set_title("Na co głowa patrzy najczęściej")
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=KIND_COLORS[k], hatch=KIND_HATCHES[k], edgecolor="#555555",
                             label=KIND_LABELS[k]) for k in KINDS]
    ax_kind.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.02 * n_layers), ncol=2, fontsize=8, frameon=False)
    im = ax_abl.imshow(ablation, cmap="viridis", aspect="equal")
    top = float(np.abs(ablation).max()) or 1.0
    for row in range(n_layers):
        for col in range(n_heads):
            v = ablation[row, col]
            ax_abl.text(col, row, _pl(v, 3 if top < 0.1 else 2), ha="center", va="center", fontsize=7.5,
                        color="white" if v < ablation.min() + 0.6 * (ablation.max() - ablation.min()) else "black")
    ax_abl.set_title("Wzrost straty po wyłączeniu głowy (nat na token)")
    cbar = fig.colorbar(im, ax=ax_abl, fraction=0.046, pad=0.04)
    cbar.ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pl(v, 3 if top < 0.1 else 2)))
    fig.suptitle(title)
    fig.tight_layout()
    return fig


@contextmanager
def zeroed_head(model, layer: int, head: int):
    """Na czas bloku ``with`` wyzeruj wyjście głowy ``head`` w warstwie ``layer`` (obie od 0)."""
    block = model.trf_blocks[layer]
    hd = block.att.head_dim

    def hook(_module, args):
        x = args[0].clone()
        x[..., head * hd:(head + 1) * hd] = 0
        return (x,)

    handle = block.att.out_proj.register_forward_pre_hook(hook)
    try:
        yield model
    finally:
        handle.remove()


def _forward(model, ids):
    with torch.no_grad():
        logits = model(ids)[0]
    return logits


def sentence_head_shares(weights: torch.Tensor) -> dict[str, float] | None:
    """Udziały :func:`kind_shares` jednej głowy na jednym zdaniu z jej macierzy wag ``(t, t)``;
    ``None``, gdy tokenów jest mniej niż trzy (jak w ``head_stats``: pozycje od trzeciej)."""
    n = weights.shape[-1]
    if n < 3:
        return None
    pos = torch.arange(2, n)
    w = weights.double()
    stat = {"previous": float(w[pos, pos - 1].mean()), "first": float(w[pos, 0].mean()), "self": float(w[pos, pos].mean())}
    return kind_shares(stat)


def render_head_switch(zdanie: str = DEFAULT_SENTENCE, warstwa: int = 1, glowa: int = 1, wylacz: bool = True):
    """Zdanie → statystyki wybranej głowy na tym zdaniu i rozkład następnego tokenu przed
    i po wyzerowaniu tej głowy (``wylacz``). Warstwa i głowa numerowane od 1."""
    from llmkurs.viz import heatmap
    from llmkurs.widgets.ch09 import mini_gpt, piece, probability_bars, prompt_ids

    model, tokenizer = mini_gpt()
    n_layers, n_heads = model.cfg.n_layers, model.cfg.n_heads
    require(isinstance(warstwa, int) and not isinstance(warstwa, bool) and 1 <= warstwa <= n_layers,
            f"Numer warstwy musi być liczbą całkowitą od 1 do {n_layers}.")
    require(isinstance(glowa, int) and not isinstance(glowa, bool) and 1 <= glowa <= n_heads,
            f"Numer głowy musi być liczbą całkowitą od 1 do {n_heads}.")
    require_type(zdanie, str, "Zdanie musi być napisem (str).")
    require(zdanie.strip() != "", "Wpisz zdanie – choć jedno słowo, po którym model przewidzi następny token.")
    ids, notes = prompt_ids(zdanie, tokenizer, model.cfg.context_length)
    layer, head = warstwa - 1, glowa - 1
    labels = [piece(tokenizer, i) for i in ids[0].tolist()]
    n = len(labels)

    model.set_keep_weights(True)
    logits = _forward(model, ids)
    weights = model.attention_weights()[layer][0, head]
    with zeroed_head(model, layer, head):
        logits_off = _forward(model, ids)
    p = torch.softmax(logits[-1], dim=-1)
    q = torch.softmax(logits_off[-1], dim=-1)

    shares = sentence_head_shares(weights)
    rows = []
    if shares is None:
        notes.append(Note(f"Zdanie ma {n} {'token' if n == 1 else 'tokeny'}: udziały poprzedni/pierwszy/sam liczymy od trzeciego tokenu – wpisz dłuższe zdanie."))
    else:
        kind = head_kind(shares)
        rows = [f"<tr><td>{KIND_LABELS[k]}</td><td style='text-align:right'>{_pl(shares[k])}</td></tr>" for k in KINDS]
        rows.append(f"<tr><td colspan='2'>rodzaj na tym zdaniu: <b>{KIND_LABELS[kind]}</b></td></tr>")
    loss_line = ""
    if n >= 2:
        targets = ids[0, 1:]
        loss = F.cross_entropy(logits[:-1], targets).item()
        loss_off = F.cross_entropy(logits_off[:-1], targets).item()
        loss_line = (f"Strata na tym zdaniu (nat na token, {n - 1} przewidzianych tokenów): {_pl(loss, 3)}"
                     + (f"; z wyłączoną głową {_pl(loss_off, 3)} (zmiana {_pl(loss_off - loss, 3)})." if wylacz else "."))
    tv = 0.5 * float((p - q).abs().sum())
    top_p, top_q = int(p.argmax()), int(q.argmax())
    if wylacz:
        change = ("Najbardziej prawdopodobny następny token się nie zmienia"
                  if top_p == top_q else f"Najbardziej prawdopodobny następny token zmienia się z „{piece(tokenizer, top_p)}” na „{piece(tokenizer, top_q)}”")
        switch_line = (f"{change}; rozkład następnego tokenu przesuwa się o {_pl(tv, 3)} "
                       "(połowa sumy |p − q| po całym słowniku: 0 = bez zmian, 1 = zupełnie inny rozkład).")
    else:
        switch_line = "Zaznacz „wyłącz głowę”, żeby zobaczyć rozkład po wyzerowaniu jej wyjścia."
    table = (f"<div style='font-size:14px;max-width:46em'><b>Warstwa {warstwa}, głowa {glowa}</b> na zdaniu "
             f"({n} tokenów). Średni udział uwagi (od trzeciego tokenu):"
             + (f"<table style='margin:4px 0'>{''.join(rows)}</table>" if rows else " –")
             + f"<p>{html.escape(loss_line)}</p><p>{html.escape(switch_line)}</p></div>")

    figs = []
    if n <= 16:
        fig_w, ax_w = plt.subplots(figsize=(max(3.6, 0.42 * n + 1.8), max(3.2, 0.42 * n + 1.4)))
        mask = np.triu(np.ones((n, n), dtype=bool), k=1)
        heatmap(weights, labels, labels, ax=ax_w, vmin=0.0, vmax=1.0, mask=mask, colorbar=False, annotate=n <= 10,
                title=f"Wagi uwagi: warstwa {warstwa}, głowa {glowa}", xlabel="na który token patrzy (klucz)",
                ylabel="który token pyta (zapytanie)")
        fig_w.tight_layout()
        plt.close(fig_w)
        figs.append(fig_w)
    else:
        notes.append(Note(f"Zdanie ma {n} tokenów: mapę wag rysujemy tylko do 16 tokenów, statystyki liczymy dla całego."))
    panels = 2 if wylacz else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.2 * panels, 4.4), squeeze=False)
    for ax, dist, name in zip(axes[0], (p, q), ("z głową", "z wyłączoną głową")):
        values, idx = torch.topk(dist, 10)
        probability_bars(values, [piece(tokenizer, i) for i in idx.tolist()], ax=ax, title=f"Następny token – {name}")
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pl(v, 1)))
    fig.tight_layout()
    plt.close(fig)
    return [*notes, HtmlText(table), *figs, fig]


def head_switch_widget(warstwa: int = 1, glowa: int = 1):
    """Widżet: zdanie, warstwa, głowa (numery od 1, stan początkowy) i przełącznik „wyłącz głowę”."""
    from llmkurs.widgets.ch09 import mini_gpt

    model, _ = mini_gpt()
    require(isinstance(warstwa, int) and 1 <= warstwa <= model.cfg.n_layers, f"Numer warstwy musi być od 1 do {model.cfg.n_layers}.")
    require(isinstance(glowa, int) and 1 <= glowa <= model.cfg.n_heads, f"Numer głowy musi być od 1 do {model.cfg.n_heads}.")
    return interactive(
        render_head_switch,
        title="Wyłącz jedną głowę uwagi i zobacz, co się zmienia",
        zdanie=text_box(DEFAULT_SENTENCE, "Zdanie:"),
        warstwa=int_slider(warstwa, 1, model.cfg.n_layers, "Warstwa:"),
        glowa=int_slider(glowa, 1, model.cfg.n_heads, "Głowa:"),
        wylacz=W.Checkbox(value=True, description="wyłącz głowę (wyzeruj jej wyjście)", indent=False),
    )


def heldout_excerpts(documents: list[str], chars_per_doc: int) -> list[str]:
    """Początek każdego dokumentu: pełne akapity do ``chars_per_doc`` znaków (co najmniej jeden).

    Stały, powtarzalny wycinek części odłożonej z każdego rejestru – do ocen, które na całej
    części odłożonej trwałyby za długo na darmowym procesorze.
    """
    require(isinstance(chars_per_doc, int) and chars_per_doc > 0, "Liczba znaków na dokument musi być dodatnią liczbą całkowitą.")
    out = []
    for doc in documents:
        paragraphs = doc.split("\n\n")
        taken = paragraphs[0]
        for par in paragraphs[1:]:
            if len(taken) + 2 + len(par) > chars_per_doc:
                break
            taken += "\n\n" + par
        out.append(taken)
    return out


def heldout_slice(tokenizer, n_tokens: int, document: int = 0) -> list[int]:
    """Pierwsze ``n_tokens`` identyfikatorów dokumentu odłożonego nr ``document`` (od 0),
    poprzedzone ``<|endoftext|>`` – tak jak model widział początek każdego dokumentu w treningu."""
    from llmkurs.corpus import load_documents
    from llmkurs.model import _doc_ids

    docs = load_documents("heldout")
    require(isinstance(document, int) and 0 <= document < len(docs),
            f"Numer dokumentu odłożonego musi być od 0 do {len(docs) - 1}.")
    require(isinstance(n_tokens, int) and n_tokens >= 3, "Wycinek musi mieć co najmniej 3 tokeny.")
    return _doc_ids(tokenizer, docs[document])[:n_tokens]
