"""Widżety rozdziału 3 (Osadzenia pozycyjne).

- :func:`render_sinusoid` / :func:`sinusoid_widget` – suwaki wymiaru i pozycji: mapa ciepła
  kodowania sinusoidalnego, wektor wybranej pozycji i iloczyn skalarny z innymi pozycjami
  w funkcji odległości;
- :func:`render_sums` / :func:`sums_widget` – zdanie studenta: wektory tokenów, wektory pozycji
  i ich sumy jako trzy wyrównane mapy ciepła, z przełącznikiem pozycji uczonych/sinusoidalnych;
- :func:`sums_figure` – to samo jako rysunek plotly (do rysunku do odkrywania na stronie).

Widżety rysują HTML/SVG (:mod:`llmkurs.draw`, te same rysunki co panele „Na żywo” na stronie),
więc odświeżają się w milisekundach; :func:`render_sinusoid_figure` to wersja matplotlib.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from llmkurs.draw import Drawing, heatmap_svg, line_svg, row_html
from llmkurs.embeddings import InputEmbedding, sinusoidal_positions, token_label
from llmkurs.errors import KursTypeError, require
from llmkurs.widgets.common import Note, int_slider, interactive, shorten, text_box

#: Długość kontekstu warstwy w widżecie (dłuższe zdania skracamy z notką).
WIDGET_CONTEXT = 16

#: Liczba pozycji na mapie ciepła kodowania sinusoidalnego.
SINUSOID_POSITIONS = 50

POSITIONAL_LABELS = {"uczone (learned)": "learned", "sinusoidalne": "sinusoidal"}


# --------------------------------------------------------------------------- sinusoidy


def _check_sinusoid(wymiar, pozycja, num_positions) -> None:
    require(isinstance(wymiar, int) and 2 <= wymiar <= 512, "Wymiar musi być liczbą całkowitą od 2 do 512.")
    require(wymiar % 2 == 0, f"Wymiar musi być parzysty (każdy sinus ma parę w cosinusie), a jest {wymiar}: wybierz {wymiar + 1}.")
    require(isinstance(pozycja, int) and 0 <= pozycja < num_positions, f"Pozycja musi być od 0 do {num_positions - 1}.")


def render_sinusoid(wymiar: int = 16, pozycja: int = 5, num_positions: int = SINUSOID_POSITIONS):
    """Trzy rysunki SVG: macierz PE, wektor pozycji ``pozycja`` i ``PE[pozycja]·PE[q]`` dla każdego q.

    ``data``: ``pe`` (macierz), ``distances`` i ``dots`` (iloczyny skalarne).
    """
    _check_sinusoid(wymiar, pozycja, num_positions)
    pe = sinusoidal_positions(num_positions, wymiar)
    dots = (pe @ pe[pozycja]).tolist()
    cols = [str(j) for j in range(wymiar)]
    matrix = heatmap_svg(pe, [f"p = {p}" for p in range(num_positions)], cols, vmin=-1.0, vmax=1.0, cell=12 if wymiar > 32 else 14,
                         focus_row=pozycja,
                         title=f"Kodowanie sinusoidalne: {num_positions} pozycji × {wymiar} wymiarów (ramka: p = {pozycja})")
    vector = heatmap_svg(pe[pozycja:pozycja + 1], [f"p = {pozycja}"], cols, vmin=-1.0, vmax=1.0,
                         cell=36 if wymiar <= 16 else 14, title=f"Wektor pozycji p = {pozycja} (sinus, cosinus, …)")
    distances = [q - pozycja for q in range(num_positions)]
    curve = line_svg(distances, {f"PE[{pozycja}]·PE[q]": dots}, title="Iloczyn skalarny z innymi pozycjami",
                     xlabel=f"odległość q − {pozycja}", ylabel="PE[p]·PE[q]", marker_x=0)
    return Drawing(matrix + row_html(vector, curve), pe=pe.tolist(), distances=distances, dots=dots)


def render_sinusoid_figure(wymiar: int = 16, pozycja: int = 5, num_positions: int = SINUSOID_POSITIONS):
    """To samo co :func:`render_sinusoid` jako rysunek matplotlib (do wydruku)."""
    _check_sinusoid(wymiar, pozycja, num_positions)
    pe = sinusoidal_positions(num_positions, wymiar)
    dots = (pe @ pe[pozycja]).numpy()
    fig = plt.figure(figsize=(12, 7.5))
    grid = fig.add_gridspec(2, 2, height_ratios=[1.4, 1], width_ratios=[1.6, 1])
    ax0 = fig.add_subplot(grid[0, :])
    ax0.imshow(pe.numpy(), cmap="viridis", aspect="auto", vmin=-1, vmax=1, interpolation="nearest")
    ax0.axhline(pozycja, color="#f97316", lw=2)
    ax0.set_xlabel("współrzędna j (0, 2, 4, … – sinus; 1, 3, 5, … – cosinus)")
    ax0.set_ylabel("pozycja p")
    ax0.set_title(f"Kodowanie sinusoidalne: {num_positions} pozycji × {wymiar} wymiarów (pomarańczowa linia: p = {pozycja})")
    fig.colorbar(ax0.images[0], ax=ax0, fraction=0.03, pad=0.01)
    ax1 = fig.add_subplot(grid[1, 0])
    ax1.bar(range(wymiar), pe[pozycja].numpy(), color="#3b528b")
    ax1.set_ylim(-1.05, 1.05)
    ax1.set_xlabel("współrzędna j")
    ax1.set_title(f"Wektor pozycji p = {pozycja}")
    ax2 = fig.add_subplot(grid[1, 1])
    ax2.plot(np.arange(num_positions) - pozycja, dots, marker="o", ms=3, color="#21918c")
    ax2.axvline(0, color="#9ca3af", lw=0.8)
    ax2.set_xlabel(f"odległość q − {pozycja}")
    ax2.set_ylabel("PE[p]·PE[q]")
    ax2.set_title("Iloczyn skalarny z innymi pozycjami")
    fig.tight_layout()
    return fig


def sinusoid_widget(wymiar: int = 16, pozycja: int = 5):
    """Widżet z suwakami wymiaru i pozycji; zwraca ``VBox``."""
    return interactive(render_sinusoid, title="Kodowanie sinusoidalne",
                       wymiar=int_slider(wymiar, 2, 128, "Wymiar (parzysty):", step=2),
                       pozycja=int_slider(pozycja, 0, SINUSOID_POSITIONS - 1, "Pozycja:"))


# --------------------------------------------------------------------------- sumy


def _layer(vocab_size: int, dim: int, positional: str, seed: int) -> InputEmbedding:
    torch.manual_seed(seed)
    return InputEmbedding(vocab_size, dim, WIDGET_CONTEXT, positional=positional)


def sums_data(zdanie: str, tokenizer, positional: str = "learned", dim: int = 8, seed: int = 123):
    """Wektory tokenów, pozycji i sumy dla zdania: ``(etykiety, tok, pos, suma, notki)``.

    Tabele są losowe (nieuczone) z ziarnem ``seed`` – tak wygląda warstwa wejściowa przed
    treningiem. Zdanie dłuższe niż :data:`WIDGET_CONTEXT` tokenów jest skracane z notką.
    """
    if not isinstance(zdanie, str):
        raise KursTypeError("Wpisz zdanie jako tekst.")
    require(positional in ("learned", "sinusoidal"), "Wybierz pozycje „learned” albo „sinusoidal”.")
    require(isinstance(dim, int) and 2 <= dim <= 64 and dim % 2 == 0, "Wymiar musi być parzystą liczbą od 2 do 64.")
    text, note = shorten(zdanie)
    require(text.strip() != "", "Wpisz zdanie, np. „kot kot kot” albo „Oto fragment przykładowego wejścia”.")
    ids = tokenizer.encode(text)
    notes = [note] if note else []
    if len(ids) > WIDGET_CONTEXT:
        notes.append(Note(f"Zdanie ma {len(ids)} tokenów, a warstwa zna {WIDGET_CONTEXT} pozycji; pokazuję pierwsze {WIDGET_CONTEXT}."))
        ids = ids[:WIDGET_CONTEXT]
    layer = _layer(tokenizer.vocab_size, dim, positional, seed)
    with torch.no_grad():
        tok = layer.tok_emb(torch.tensor(ids))
        pos = layer.position_vectors(len(ids))
        total = layer(torch.tensor(ids))[0]
    labels = [f"{t}: {token_label(tokenizer, i)}" for t, i in enumerate(ids)]
    return labels, tok, pos, total, notes


def render_sums(zdanie: str, pozycje: str = "learned", *, tokenizer, dim: int = 8, seed: int = 123):
    """Trzy wyrównane mapy ciepła SVG: token + pozycja = suma (wiersz = pozycja w zdaniu).

    Ostatni element to :class:`~llmkurs.draw.Drawing` z ``data`` = ``tok``, ``pos``, ``sum``.
    """
    positional = POSITIONAL_LABELS.get(pozycje, pozycje)
    labels, tok, pos, total, notes = sums_data(zdanie, tokenizer, positional, dim, seed)
    cols = [str(j) for j in range(dim)]
    lim = float(max(tok.abs().max(), pos.abs().max(), total.abs().max()))
    name = "uczone" if positional == "learned" else "sinusoidalne"
    maps = [heatmap_svg(data, labels, cols, title=title, vmin=-lim, vmax=lim, digits=1)
            for data, title in ((tok, "wektor tokenu"), (pos, f"+ wektor pozycji ({name})"), (total, "= suma (wejście modelu)"))]
    return [*notes, Drawing(row_html(*maps, basis=240), tok=tok.tolist(), pos=pos.tolist(), sum=total.tolist())]


def sums_widget(tokenizer, zdanie: str = "kot kot kot", dim: int = 8):
    """Widżet: zdanie + przełącznik rodzaju pozycji; zwraca ``VBox``."""

    def _render(zdanie, pozycje):
        return render_sums(zdanie, pozycje, tokenizer=tokenizer, dim=dim)

    toggle = W.ToggleButtons(options=list(POSITIONAL_LABELS), value="uczone (learned)", description="Pozycje:",
                             style={"description_width": "initial"})
    return interactive(_render, title="Token + pozycja = wejście modelu", zdanie=text_box(zdanie), pozycje=toggle)


def sums_figure(zdanie: str, tokenizer, positional: str = "learned", dim: int = 8, seed: int = 123) -> go.Figure:
    """Rysunek plotly: trzy wyrównane mapy ciepła (token, pozycja, suma) z podpowiedziami."""
    labels, tok, pos, total, _ = sums_data(zdanie, tokenizer, positional, dim, seed)
    lim = float(max(tok.abs().max(), pos.abs().max(), total.abs().max()))
    name = "uczone" if positional == "learned" else "sinusoidalne"
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("wektor tokenu", f"+ pozycja ({name})", "= suma"))
    n = len(labels)
    for c, data in enumerate((tok, pos, total), start=1):
        z = np.round(data.numpy().astype(float), 2)
        fig.add_trace(go.Heatmap(
            z=z.tolist(), x=list(range(dim)), y=list(range(n)), zmin=-lim, zmax=lim, colorscale="Cividis",
            showscale=c == 3, text=[[f"{v:.1f}" for v in row] for row in z], texttemplate="%{text}",
            customdata=[[labels[i]] * dim for i in range(n)],
            hovertemplate="token: %{customdata}<br>współrzędna: %{x}<br>wartość: %{z:.2f}<extra></extra>",
        ), row=1, col=c)
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=labels, autorange="reversed", row=1, col=1)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="współrzędna")
    fig.update_layout(template="none", height=140 + 34 * n, margin=dict(l=120, r=30, t=60, b=50),
                      font=dict(family="sans-serif", size=12), paper_bgcolor="white", plot_bgcolor="white")
    return fig
