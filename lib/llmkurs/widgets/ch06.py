"""Widżet i rysunki rozdziału 6: uwaga przyczynowa (ang. *causal attention*).

Student wpisuje zdanie i wybiera suwakiem pozycję tokenu „w centrum uwagi”; widzi macierz wag
uwagi, w której przyszłe tokeny są zamaskowane (szare, kreskowane komórki z „–”), oraz listę
tokenów, na które wybrana pozycja może patrzeć.

Wagi liczymy tak jak w rozdziale: wektory zdania z :func:`llmkurs.attention.sentence_vectors`
(3 wymiary), macierze ``Wq``, ``Wk`` z ziarnem 789 (jak w książce), skalowanie przez
:math:`\\sqrt{d_k}`, maska :math:`-\\infty` przed softmaksem.

Pomocnik :func:`masked_heatmap_figure` (plotly) służy też rozdziałom 7 i 8. Widżet rysuje
HTML/SVG (:mod:`llmkurs.draw`, ten sam rysunek co panel „Na żywo” na stronie).
"""

from __future__ import annotations

import html
import warnings

import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import torch

from llmkurs.attention import causal_mask
from llmkurs.draw import Drawing, heatmap_svg
from llmkurs.errors import require
from llmkurs.explore import explorable, heatmap_figure
from llmkurs.polish import decimal_pl
from llmkurs.widgets.common import Note, int_slider, interactive, shorten, text_box

#: Najwięcej tokenów pokazywanych na mapie ciepła (dłuższe zdania skracamy z notką).
MAX_TOKENS = 12

#: Ziarno macierzy wag (jak w przykładzie uwagi przyczynowej w rozdziale 3 książki).
WEIGHTS_SEED = 789

#: Zdania przykładowe rysunku do odkrywania (pierwsze to zdanie z notatek).
SENTENCES = (
    "Oto fragment przykładowego wejścia",
    "Kot siedzi na ciepłym parapecie",
    "Jutro rano pojedziemy nad jezioro",
    "Polski język jest trudny",
)


def sentence_tokens(zdanie: str, max_tokens: int = MAX_TOKENS, dim: int = 3):
    """Etykiety i wektory (``dim`` wymiarów) zdania studenta; zwraca ``(etykiety, wektory, notki)``.

    Pusty tekst → :class:`~llmkurs.errors.KursError` z podpowiedzią; bardzo długi → skrócony
    (pierwsze ``max_tokens`` tokenów) z notką.
    """
    from llmkurs.attention import sentence_vectors

    require(isinstance(zdanie, str), "Zdanie musi być tekstem (napisem).")
    notes = []
    text, note = shorten(zdanie)
    if note is not None:
        notes.append(note)
    require(text.strip() != "", "Wpisz zdanie – choćby jedno słowo – żeby zobaczyć wagi uwagi.")
    # Dzielimy na słowa (nie tokenizerem BPE), żeby etykiety były czytelne i stałe.
    labels, vectors = sentence_vectors(text, dim=dim, seed=123, tokenizer="words")
    labels = list(labels)
    require(len(labels) > 0, "W zdaniu nie ma żadnego tokenu: wpisz choćby jedno słowo.")
    if len(labels) > max_tokens:
        notes.append(Note(f"Zdanie ma {len(labels)} tokenów; pokazuję pierwsze {max_tokens}, żeby mapa była czytelna."))
        labels, vectors = labels[:max_tokens], vectors[:max_tokens]
    return labels, vectors, notes


def attention_weights(vectors: torch.Tensor, *, causal: bool = True, seed: int = WEIGHTS_SEED, d_out: int = 2) -> torch.Tensor:
    """Wagi uwagi skalowanej (z maską przyszłości albo bez) dla wektorów ``(n, d_in)``.

    Macierze ``Wq``, ``Wk`` pochodzą z :class:`llmkurs.attention.CausalAttention` utworzonej
    z ziarnem ``seed`` – tak jak w rozdziale (ziarno 789 daje liczby z książki).
    """
    from llmkurs.attention import CausalAttention

    n, d_in = vectors.shape
    torch.manual_seed(seed)
    module = CausalAttention(d_in, d_out, n, 0.0)
    with torch.no_grad():
        queries = module.W_query(vectors)
        keys = module.W_key(vectors)
        scores = queries @ keys.T
        if causal:
            scores = scores.masked_fill(causal_mask(n), -torch.inf)
        return torch.softmax(scores / keys.shape[-1] ** 0.5, dim=-1)


def _label(token: str) -> str:
    token = token if token.strip() else repr(token)
    return token if len(token) <= 16 else token[:15] + "…"


def axis_labels(labels) -> list[str]:
    """Etykiety na osie: puste jako ``repr``, długie skrócone do 16 znaków."""
    return [_label(t) for t in labels]


def tidy_axes(ax) -> None:
    """Obróć podpisy osi X (długie słowa nie nachodzą na siebie)."""
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")


def finish(fig) -> None:
    """``tight_layout`` bez ostrzeżeń (brakujące glify emoji, ciasne marginesy)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.tight_layout()
        fig.canvas.draw()


def visible_html(labels, weights: torch.Tensor, pozycja: int) -> str:
    """HTML: które tokeny widzi pozycja ``pozycja`` (liczona od 1) i z jakimi wagami."""
    i = pozycja - 1
    seen = ", ".join(f"„{html.escape(_label(labels[j]))}” ({decimal_pl(float(weights[i, j]), 2)})" for j in range(i + 1))
    hidden = labels[i + 1:]
    hidden_txt = ", ".join(f"„{html.escape(_label(t))}”" for t in hidden) if hidden else "nic – to ostatni token"
    return (
        f'<div style="font-size:14px;line-height:1.6">Pozycja {pozycja}: token „<b>{html.escape(_label(labels[i]))}</b>”.<br>'
        f"Widzi (waga po ponownej normalizacji): {seen}.<br>"
        f'<span style="color:#6b7280">Nie widzi (przyszłość, zamaskowana): {hidden_txt}.</span></div>'
    )


def _outline_row(ax, row: int, cols: int) -> None:
    ax.add_patch(plt.Rectangle((-0.5, row - 0.5), cols, 1, fill=False, edgecolor="#dc2626", lw=2.5, zorder=6))


def masked(weights: torch.Tensor, mask=None) -> list[list[float]]:
    """Wagi jako lista wierszy, komórki ``mask`` jako ``-inf`` (na rysunku szare „–”)."""
    out = weights.detach().double().clone()
    if mask is not None:
        out[torch.as_tensor(np.asarray(mask, dtype=bool))] = -torch.inf
    return out.tolist()


def render(zdanie: str = SENTENCES[0], pozycja: int = 3, maska: bool = True):
    """Wagi uwagi dla zdania studenta: z maską przyszłości (``maska=True``) albo bez.

    ``pozycja`` (od 1) to wiersz w centrum uwagi (obwiedziony czerwoną ramką); za dużą
    pozycję przycinamy do ostatniego tokenu z notką. Zwraca listę: notki, HTML, rysunek SVG
    (:class:`~llmkurs.draw.Drawing` z ``data["weights"]``).
    """
    require(isinstance(pozycja, (int, np.integer)) and not isinstance(pozycja, bool), "Pozycja musi być liczbą całkowitą (1, 2, 3, …).")
    require(pozycja >= 1, "Pozycje liczymy od 1: wybierz pozycję 1 albo większą.")
    labels, vectors, notes = sentence_tokens(zdanie)
    n = len(labels)
    if pozycja > n:
        notes.append(Note(f"Zdanie ma tylko {n} tokenów, więc pokazuję ostatnią pozycję ({n})."))
        pozycja = n
    weights = attention_weights(vectors, causal=bool(maska))
    mask = causal_mask(n).numpy() if maska else None
    title = "Uwaga przyczynowa (szare – przyszłość ukryta)" if maska else "Uwaga bez maski (każdy widzi każdego)"
    shown = axis_labels(labels)
    svg = heatmap_svg(masked(weights, mask), shown, shown, title=title, vmin=0.0, vmax=1.0, focus_row=pozycja - 1)
    info = visible_html(labels, attention_weights(vectors, causal=True), pozycja)
    return [*notes, info, Drawing(svg, weights=weights.tolist(), focus_row=pozycja - 1)]


def causal_widget():
    """Widżet rozdziału 6: zdanie, suwak pozycji i przełącznik maski. Zwraca ``VBox``."""
    import ipywidgets as W

    toggle = W.Checkbox(value=True, description="Maska przyszłości (uwaga przyczynowa)", indent=False)
    return interactive(
        render,
        title="Na które tokeny może patrzeć wybrana pozycja?",
        zdanie=text_box(SENTENCES[0]),
        pozycja=int_slider(3, 1, MAX_TOKENS, "Pozycja w centrum uwagi:"),
        maska=toggle,
    )


def masked_heatmap_figure(matrix, row_labels, col_labels, mask=None, *, focus_row: int | None = None,
                          title: str | None = None, mask_text: str = "–", mask_name: str = "ukryte",
                          extra_mask=None, extra_text: str = "×", extra_name: str = "wyzerowane",
                          zmin: float = 0.0, zmax: float = 1.0, value_name: str = "waga") -> go.Figure:
    """Mapa ciepła plotly z zaznaczonymi komórkami: ``mask`` – szare z „–”, ``extra_mask`` –
    białe z „×” (np. wyzerowane przez dropout); ``focus_row`` (od 0) obwiedziony ramką."""
    z = np.asarray(matrix.detach() if hasattr(matrix, "detach") else matrix, dtype=float)
    rows, cols = z.shape
    m = np.zeros_like(z, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    e = np.zeros_like(z, dtype=bool) if extra_mask is None else np.asarray(extra_mask, dtype=bool) & ~m
    fig = heatmap_figure(np.where(m | e, np.nan, z), row_labels, col_labels, title=title, zmin=zmin, zmax=zmax,
                         row_name="zapytanie", col_name="klucz", value_name=value_name)
    trace = fig.data[0]
    trace.z = [[None if (m[i, j] or e[i, j]) else round(float(z[i, j]), 2) for j in range(cols)] for i in range(rows)]
    trace.text = [["" if (m[i, j] or e[i, j]) else f"{z[i, j]:.2f}" for j in range(cols)] for i in range(rows)]
    for cells, text, name, color in ((m, mask_text, mask_name, "#d1d5db"), (e, extra_text, extra_name, "#ffffff")):
        if not cells.any():
            continue
        fig.add_trace(go.Heatmap(
            z=[[1 if cells[i, j] else None for j in range(cols)] for i in range(rows)],
            x=list(range(cols)), y=list(range(rows)), colorscale=[[0, color], [1, color]], showscale=False,
            text=[[text if cells[i, j] else "" for j in range(cols)] for i in range(rows)], texttemplate="%{text}",
            textfont=dict(color="#374151", size=14), xgap=1, ygap=1,
            customdata=[[[str(row_labels[i]), str(col_labels[j])] for j in range(cols)] for i in range(rows)],
            hovertemplate=f"zapytanie: %{{customdata[0]}}<br>klucz: %{{customdata[1]}}<br>{name}<extra></extra>",
        ))
    longest = max((len(str(label)) for label in row_labels), default=1)
    fig.update_layout(margin=dict(l=min(40 + 8 * longest, 220)))
    if focus_row is not None:
        fig.add_shape(type="rect", x0=-0.5, x1=cols - 0.5, y0=focus_row - 0.5, y1=focus_row + 0.5,
                      line=dict(color="#dc2626", width=3))
    return fig


def causal_explorable(sentences=SENTENCES):
    """Rysunek do odkrywania: wagi przyczynowe kilku zdań, suwak – pozycja w centrum uwagi."""
    variants = {}
    for sentence in sentences:
        labels, vectors, _ = sentence_tokens(sentence)
        weights = attention_weights(vectors, causal=True)
        mask = causal_mask(len(labels)).numpy()
        variants[sentence] = {
            f"{i + 1} („{labels[i]}”)": masked_heatmap_figure(
                weights, labels, labels, mask, focus_row=i,
                title=f"Pozycja {i + 1} widzi tokeny 1–{i + 1}; szare – przyszłość")
            for i in range(len(labels))
        }
    return explorable(variants, title="Maskowana macierz wag uwagi", label="Zdanie", slider_label="Pozycja w centrum uwagi",
                      alt="Mapa ciepła wag uwagi przyczynowej: komórki nad przekątną (przyszłe tokeny) są szare i puste; "
                          "wybrany wiersz jest obwiedziony czerwoną ramką.")
