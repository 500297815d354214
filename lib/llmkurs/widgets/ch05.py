"""Widżety i rysunki rozdziału 5: uwaga skalowana – zapytania, klucze, wartości.

- :func:`formula_figure` – schemat blokowy wzoru ``softmax(Q Kᵀ / √d_k) V`` (brakujący rysunek
  „wzór końcowy” z notatek),
- :func:`scaling_stats` – eksperyment „dlaczego √d_k?”: rozrzut iloczynów skalarnych losowych
  wektorów, największa waga i norma gradientu softmaksu w funkcji ``d_k``,
- :func:`scaling_render` – ten eksperyment jako rysunek matplotlib (rozdział),
  :func:`scaling_html` / :func:`scaling_widget` – to samo w HTML/SVG z suwakiem ``d_k``,
- :func:`qkv_render` / :func:`qkv_widget` – zdanie studenta → Q, K, V, wyniki i wagi,
- :func:`weights_explorable` – rysunek do odkrywania: kilka zdań × suwak ``d_k``, bez
  skalowania i ze skalowaniem obok siebie.

Wektory tokenów i macierze ``W_query``, ``W_key``, ``W_value`` są losowe (z ustalonym ziarnem),
nie wytrenowane. Widżety rysują HTML/SVG (:mod:`llmkurs.draw`), więc odświeżają się w milisekundach.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import torch
from plotly.subplots import make_subplots

from llmkurs.attention import SelfAttentionV2, sentence_vectors, softmax
from llmkurs.draw import Drawing, bars_html, heatmap_svg, line_svg, row_html
from llmkurs.errors import require, require_type
from llmkurs.explore import explorable, heatmap_figure
from llmkurs.widgets.common import Note, int_slider, interactive, text_box

#: Zdania rysunku do odkrywania.
SENTENCES = (
    "Twoja podróż zaczyna się od kroku",
    "Polski język jest trudny",
    "Zamek w drzwiach się zaciął",
)

#: Wartości d_k na suwaku eksperymentu (potęgi dwójki).
D_K_VALUES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)

#: Wymiar wektorów wejściowych w widżecie Q, K, V.
D_IN = 4

#: Najwięcej tokenów w widżecie Q, K, V.
MAX_TOKENS = 12

SPLITS = {"słowa": "words", "tokeny kursu (BPE)": "kurs"}


def _finish(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.tight_layout()



def _short(label: str, n: int = 12) -> str:
    label = str(label)
    return label if len(label) <= n else label[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Wzór końcowy jako schemat blokowy
# ---------------------------------------------------------------------------------------------


def formula_figure():
    """Schemat blokowy ``Z = softmax(Q Kᵀ / √d_k) V`` z kształtami tensorów."""
    fig, ax = plt.subplots(figsize=(12, 4.4))
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 4.4)
    ax.axis("off")

    def box(x, y, text, fc, w=1.5, h=0.75, ec="#374151"):
        ax.add_patch(plt.Rectangle((x - w / 2, y - h / 2), w, h, fc=fc, ec=ec, lw=1.5, zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=10.5, zorder=3)

    def arrow(x0, y0, x1, y1):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="#374151", lw=1.4))

    box(0.9, 2.2, "$X$\n(tokeny, $d_{in}$)", "#f3f4f6", w=1.5, h=1.0)
    rows = [(3.5, "$W_q$", "$Q = X W_q$"), (2.2, "$W_k$", "$K = X W_k$"), (0.9, "$W_v$", "$V = X W_v$")]
    for y, w_lbl, out in rows:
        arrow(1.65, 2.2, 2.4, y)
        box(3.0, y, w_lbl + "\n($d_{in}$, $d_k$)", "#fde68a", w=1.2, h=0.85)
        arrow(3.6, y, 4.2, y)
        box(5.0, y, out + "\n(tokeny, $d_k$)", "#a7f3d0", w=1.6, h=0.85)
    arrow(5.8, 3.5, 6.45, 3.0)
    arrow(5.8, 2.2, 6.45, 2.7)
    box(7.1, 2.85, "$Q K^T$\n(tokeny, tokeny)", "#bfdbfe", w=1.3, h=0.85)
    arrow(7.75, 2.85, 8.15, 2.85)
    box(8.7, 2.85, "$\\div\\sqrt{d_k}$", "#fbcfe8", w=1.0, h=0.7)
    arrow(9.2, 2.85, 9.55, 2.85)
    box(10.2, 2.85, "softmax\n(w wierszach)", "#ddd6fe", w=1.25, h=0.85)
    arrow(10.2, 2.42, 10.2, 1.35)
    arrow(5.8, 0.9, 9.6, 0.9)
    box(10.2, 0.9, "$A\\,V$", "#fed7aa", w=1.2, h=0.75)
    arrow(10.8, 0.9, 11.2, 0.9)
    box(11.55, 0.9, "$Z$", "#e5e7eb", w=0.6, h=0.75)
    ax.text(10.45, 1.9, "wagi $A$", fontsize=9, color="#374151")
    ax.text(6.0, 4.15, "$Z = \\mathrm{softmax}\\left(\\frac{Q K^T}{\\sqrt{d_k}}\\right) V$", ha="center", fontsize=15)
    _finish(fig)
    return fig


# ---------------------------------------------------------------------------------------------
# Dlaczego √d_k?
# ---------------------------------------------------------------------------------------------


def softmax_jacobian_norm(weights: torch.Tensor) -> torch.Tensor:
    """Norma Frobeniusa jakobianu softmaksu ``J = diag(w) − w wᵀ`` dla wierszy ``weights``.

    To czynnik, przez który mnoży się każdy gradient przechodzący przez softmax do jego wejścia:
    gdy softmax jest nasycony (jedna waga ≈ 1), ``J ≈ 0`` i gradient znika.
    """
    w = weights
    jac = torch.diag_embed(w) - w.unsqueeze(-1) * w.unsqueeze(-2)
    return jac.flatten(-2).norm(dim=-1)


@lru_cache(maxsize=64)
def _stats_one(d_k: int, num_tokens: int, samples: int, seed: int) -> tuple[float, ...]:
    gen = torch.Generator().manual_seed(seed * 100_003 + d_k)
    q = torch.randn(samples, 1, d_k, generator=gen)
    k = torch.randn(samples, num_tokens, d_k, generator=gen)
    scores = (q * k).sum(-1)                     # (samples, tokeny): iloczyny skalarne
    w_raw = softmax(scores, dim=-1)
    w_scaled = softmax(scores / math.sqrt(d_k), dim=-1)
    return (
        float(scores.std()),
        float(w_raw.max(-1).values.mean()),
        float(w_scaled.max(-1).values.mean()),
        float(softmax_jacobian_norm(w_raw).mean()),
        float(softmax_jacobian_norm(w_scaled).mean()),
    )


def scaling_stats(d_ks=D_K_VALUES, num_tokens: int = 8, samples: int = 500, seed: int = 0) -> dict:
    """Eksperyment „dlaczego √d_k?” na losowych wektorach o wariancji 1.

    Dla każdego ``d_k``: ``samples`` zapytań i po ``num_tokens`` kluczy z N(0, 1). Zwraca słownik
    list: ``d_k``, ``std`` (odchylenie standardowe iloczynów skalarnych, teoretycznie √d_k),
    ``max_unscaled`` / ``max_scaled`` (średnia największa waga w wierszu), ``grad_unscaled`` /
    ``grad_scaled`` (średnia norma jakobianu softmaksu, patrz :func:`softmax_jacobian_norm`).
    """
    d_ks = [int(d) for d in d_ks]
    require(len(d_ks) > 0 and all(1 <= d <= 4096 for d in d_ks), "Wartości d_k muszą być liczbami od 1 do 4096.")
    require(2 <= num_tokens <= 64 and 1 <= samples <= 5000, "Liczba tokenów od 2 do 64, liczba prób od 1 do 5000.")
    rows = [_stats_one(d, num_tokens, samples, seed) for d in d_ks]
    keys = ("std", "max_unscaled", "max_scaled", "grad_unscaled", "grad_scaled")
    out = {"d_k": d_ks}
    for j, key in enumerate(keys):
        out[key] = [r[j] for r in rows]
    return out


def _check_d_k(d_k) -> int:
    require(isinstance(d_k, (int, np.integer)) and not isinstance(d_k, bool) and 1 <= d_k <= 4096,
            "d_k musi być liczbą całkowitą od 1 do 4096.")
    return int(d_k)


def _scaling_samples(d_k: int):
    gen = torch.Generator().manual_seed(2024 + d_k)
    q = torch.randn(2000, d_k, generator=gen)
    k = torch.randn(2000, d_k, generator=gen)
    dots = (q * k).sum(-1)
    row = (torch.randn(1, d_k, generator=gen) * torch.randn(8, d_k, generator=gen)).sum(-1)
    return dots, row


def scaling_html(d_k: int = 64) -> Drawing:
    """Eksperyment „dlaczego √d_k?” dla wybranego ``d_k`` w HTML/SVG (widżet).

    Histogram iloczynów q·k (słupki przedziałów), wagi jednego zapytania bez skalowania i ze
    skalowaniem, krzywe ze :func:`scaling_stats` z czerwoną linią przy ``d_k``. ``data``:
    ``std``, ``unscaled``, ``scaled`` (wagi) i ``stats``.
    """
    d_k = _check_d_k(d_k)
    stats = scaling_stats()
    dots, row = _scaling_samples(d_k)
    lim = float(dots.abs().max())
    counts = torch.histc(dots, bins=12, min=-lim, max=lim)
    edges = torch.linspace(-lim, lim, 13).tolist()
    bins = [f"{a:.1f}…{b:.1f}".replace(".", ",").replace("-", "−") for a, b in zip(edges, edges[1:])]
    std = float(dots.std())
    hist = bars_html(bins, (counts / counts.sum()).tolist(), digits=3,
                     title=f"iloczyny q·k, d_k = {d_k}: std = {std:.2f} (√d_k = {math.sqrt(d_k):.2f})".replace(".", ","))
    unscaled = softmax(row).tolist()
    scaled = softmax(row / math.sqrt(d_k)).tolist()
    keys = [f"k{j + 1}" for j in range(8)]
    weights = row_html(bars_html(keys, unscaled, digits=2, title="wagi softmax(q·k)"),
                       bars_html(keys, scaled, digits=2, title="wagi softmax(q·k / √d_k)"), basis=200)
    curves = line_svg(stats["d_k"], {"największa waga, bez skalowania": stats["max_unscaled"],
                                     "największa waga, z √d_k": stats["max_scaled"],
                                     "norma gradientu, bez skalowania": stats["grad_unscaled"],
                                     "norma gradientu, z √d_k": stats["grad_scaled"]},
                      title="średnio z 500 prób (8 kluczy)", xlabel="d_k (skala logarytmiczna)", logx=True,
                      marker_x=d_k, ymin=0.0, ymax=1.05)
    return Drawing(row_html(hist, curves, basis=300) + weights, std=std, unscaled=unscaled, scaled=scaled, stats=stats)


def scaling_render(d_k: int = 64):
    """Dla wybranego ``d_k``: rozkład iloczynów skalarnych, przykładowy wiersz wag i krzywe (matplotlib)."""
    d_k = _check_d_k(d_k)
    stats = scaling_stats()
    dots, row = _scaling_samples(d_k)

    fig, axes = plt.subplots(1, 3, figsize=(15, 3.9))
    ax = axes[0]
    ax.hist(dots.numpy(), bins=40, color="#3b528b", alpha=0.85, density=True)
    ax.set_title(f"iloczyny q·k, d_k = {d_k}: std = {float(dots.std()):.2f} (√d_k = {math.sqrt(d_k):.2f})", fontsize=10)
    ax.set_xlabel("q·k")
    ax.set_ylabel("gęstość")

    ax = axes[1]
    idx = np.arange(8)
    ax.bar(idx - 0.2, softmax(row).numpy(), width=0.4, color="#fde725", ec="#444", label="softmax(q·k)")
    ax.bar(idx + 0.2, softmax(row / math.sqrt(d_k)).numpy(), width=0.4, color="#21918c", label="softmax(q·k / √d_k)")
    ax.set_xticks(idx)
    ax.set_xticklabels([f"k{j + 1}" for j in idx])
    ax.set_ylim(0, 1.05)
    ax.set_title("jedno zapytanie, 8 kluczy: wagi", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")

    ax = axes[2]
    ax.plot(stats["d_k"], stats["max_unscaled"], "o-", color="#fde725", mec="#444", label="największa waga, bez skalowania")
    ax.plot(stats["d_k"], stats["max_scaled"], "o-", color="#21918c", label="największa waga, z √d_k")
    ax.plot(stats["d_k"], stats["grad_unscaled"], "s--", color="#b5de2b", mec="#444", label="norma gradientu, bez skalowania")
    ax.plot(stats["d_k"], stats["grad_scaled"], "s--", color="#3b528b", label="norma gradientu, z √d_k")
    ax.axvline(d_k, color="#dc2626", lw=1.2)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("d_k")
    ax.set_ylim(0, 1.05)
    ax.set_title("średnio z 500 prób (8 kluczy)", fontsize=10)
    ax.legend(fontsize=7.5, loc="center left")
    _finish(fig)
    return fig


def scaling_widget():
    """Widżet: suwak d_k (potęgi dwójki) dla eksperymentu „dlaczego √d_k?”. Zwraca ``VBox``."""
    import ipywidgets as W

    slider = W.SelectionSlider(options=list(D_K_VALUES), value=64, description="d_k:", continuous_update=False,
                               style={"description_width": "initial"}, layout=W.Layout(width="95%"))
    return interactive(scaling_html, title="Dlaczego dzielimy przez √d_k?", d_k=slider)


# ---------------------------------------------------------------------------------------------
# Zdanie studenta → Q, K, V, wyniki, wagi
# ---------------------------------------------------------------------------------------------


def sentence_qkv(zdanie: str, d_k: int = 2, skalowanie: bool = True, podzial: str = "words",
                 seed: int = 123):
    """Q, K, V, wyniki i wagi dla zdania: wektory ``D_IN``-wymiarowe, ``SelfAttentionV2`` z ziarnem.

    Zwraca ``(labels, dict)``, gdzie słownik ma klucze ``x``, ``Q``, ``K``, ``V``, ``scores``,
    ``weights``, ``context`` i ``notes`` (lista notek).
    """
    require_type(zdanie, str, "Zdanie musi być napisem, np. „Kot śpi na piecu”.")
    require(isinstance(d_k, (int, np.integer)) and not isinstance(d_k, bool) and 1 <= d_k <= 1024,
            "d_k musi być liczbą całkowitą od 1 do 1024.")
    podzial = SPLITS.get(podzial, podzial)
    labels, x = sentence_vectors(zdanie, dim=D_IN, seed=seed, tokenizer=podzial)
    notes = [Note(labels.note)] if labels.note else []
    labels = list(labels)
    if len(labels) > MAX_TOKENS:
        notes.append(Note(f"Zdanie ma {len(labels)} tokenów; pokazuję pierwsze {MAX_TOKENS}, żeby mapy były czytelne."))
        labels, x = labels[:MAX_TOKENS], x[:MAX_TOKENS]
    torch.manual_seed(seed)
    sa = SelfAttentionV2(D_IN, int(d_k))
    with torch.no_grad():
        q, k, v = sa.W_query(x), sa.W_key(x), sa.W_value(x)
        scores = q @ k.T
        weights = softmax(scores / math.sqrt(d_k) if skalowanie else scores, dim=-1)
        context = weights @ v
    return labels, dict(x=x, Q=q, K=k, V=v, scores=scores, weights=weights, context=context, notes=notes)


def qkv_render(zdanie: str = SENTENCES[1], d_k: int = 2, skalowanie: bool = True, podzial: str = "słowa"):
    """Mapy ciepła SVG Q, K, V (tokeny × d_k), wyników Q Kᵀ i wag dla zdania studenta."""
    labels, r = sentence_qkv(zdanie, d_k, skalowanie, podzial)
    n = len(labels)
    cols = [str(j + 1) for j in range(int(d_k))]
    qkv = [heatmap_svg(r[name], labels, cols, title=f"{name} = X W_{name.lower()} ({n}×{int(d_k)})") for name in ("Q", "K", "V")]
    title = f"wagi softmax(Q Kᵀ / √{int(d_k)})" if skalowanie else "wagi softmax(Q Kᵀ) – bez skalowania"
    scores = heatmap_svg(r["scores"], labels, labels, title="wyniki Q Kᵀ")
    weights = heatmap_svg(r["weights"], labels, labels, vmin=0.0, vmax=1.0, title=title)
    top = float(r["weights"].max(-1).values.mean())
    pl = lambda x: f"{x:.2f}".replace(".", ",")  # noqa: E731
    info = (f'<div style="font-size:14px">{n} tokenów, d_in = {D_IN}, d_k = {int(d_k)}. '
            f"Średnia największa waga w wierszu: <b>{pl(top)}</b> (1/{n} = {pl(1 / n)} to rozkład równomierny).</div>")
    drawing = Drawing(row_html(*qkv, basis=200) + row_html(scores, weights, basis=260),
                      **{k: r[k].tolist() for k in ("Q", "K", "V", "scores", "weights")})
    return [*r["notes"], info, drawing]


def qkv_widget():
    """Widżet: zdanie, suwak d_k, przełącznik skalowania, podział. Zwraca ``VBox``."""
    import ipywidgets as W

    return interactive(
        qkv_render,
        title="Zapytania, klucze, wartości dla twojego zdania",
        zdanie=text_box(SENTENCES[1]),
        d_k=int_slider(2, 1, 8, "d_k (wymiar Q i K):"),
        skalowanie=W.Checkbox(value=True, description="dziel przez √d_k", indent=False),
        podzial=W.Dropdown(options=list(SPLITS), value="słowa", description="Podział:",
                           style={"description_width": "initial"}),
    )


def _pair_figure(labels, unscaled, scaled, d_k: int):
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=(f"bez skalowania: softmax(QKᵀ), d_k = {d_k}", f"ze skalowaniem: softmax(QKᵀ/√{d_k})"))
    for c, w in ((1, unscaled), (2, scaled)):
        single = heatmap_figure(w, labels, labels, zmin=0.0, zmax=1.0, row_name="zapytanie",
                                col_name="klucz", value_name="waga")
        trace = single.data[0]
        trace.showscale = c == 2
        fig.add_trace(trace, row=1, col=c)
        n = len(labels)
        fig.update_xaxes(tickmode="array", tickvals=list(range(n)), ticktext=list(labels), tickangle=-45, row=1, col=c)
        fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=list(labels), autorange="reversed", row=1, col=c)
    fig.update_layout(template="none", height=420, margin=dict(l=90, r=30, t=60, b=100),
                      font=dict(family="sans-serif", size=12), paper_bgcolor="white", plot_bgcolor="white")
    return fig


def weights_explorable(sentences=SENTENCES, d_ks=(2, 8, 32, 128, 512)):
    """Rysunek do odkrywania: wagi bez skalowania i ze skalowaniem dla zdań × suwak d_k."""
    variants = {}
    for s in sentences:
        per = {}
        for d in d_ks:
            labels, r_raw = sentence_qkv(s, d, False)
            _, r_sc = sentence_qkv(s, d, True)
            per[str(d)] = _pair_figure(labels, r_raw["weights"], r_sc["weights"], d)
        variants[s] = per
    return explorable(variants, title="Wagi uwagi bez skalowania i ze skalowaniem √d_k",
                      alt="Dwie mapy ciepła wag uwagi dla wybranego zdania i wymiaru d_k: po lewej bez dzielenia "
                          "przez √d_k (dla dużego d_k wiersze stają się prawie zero-jedynkowe), po prawej ze skalowaniem.",
                      label="Zdanie", slider_label="d_k")
