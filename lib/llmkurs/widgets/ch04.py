"""Widżety i rysunki rozdziału 4: naiwna samouwaga (ang. *self-attention*).

- :func:`naive_scheme_figure` – schemat liczenia wektora kontekstu jednego tokenu (brakujący
  rysunek z notatek: „naiwny mechanizm uwagi dla x^(2)”),
- :func:`context_matrix_figure` – cała macierz wag jako mapa ciepła (brakujący rysunek
  „macierz kontekstu”),
- :func:`softmax_render` / :func:`softmax_widget` – student wpisuje wyniki i temperaturę
  i patrzy, jak zmienia się rozkład,
- :func:`weights_render` / :func:`weights_widget` – wagi uwagi naiwnej dla zdania studenta,
- :func:`weights_explorable` – rysunek do odkrywania (kilka zdań, przeliczone wcześniej).

Wektory tokenów zdań studenta są losowe (:func:`llmkurs.attention.sentence_vectors`), nie
wytrenowane: pokazują mechanizm, nie prawdziwe znaczenia słów.

Widżety rysują HTML/SVG (:mod:`llmkurs.draw`, te same rysunki co panele „Na żywo” na stronie),
więc odświeżają się w milisekundach; schemat i macierz kontekstu rozdziału to matplotlib.
"""

from __future__ import annotations

import html
import math
import re
import warnings

import matplotlib.pyplot as plt
import torch

from llmkurs.attention import (
    EXAMPLE_SENTENCE,
    EXAMPLE_TOKENS,
    example_inputs,
    naive_attention,
    naive_softmax,
    sentence_vectors,
    softmax,
)
from llmkurs.draw import Drawing, bars_html, heatmap_svg, row_html
from llmkurs.errors import require, require_type
from llmkurs.explore import explorable, heatmap_figure
from llmkurs.viz import heatmap
from llmkurs.widgets.common import Note, float_slider, interactive, shorten, text_box

#: Zdania rysunku do odkrywania: przykład prowadzący i zdania z „zamkiem” i „językiem” z notatek.
SENTENCES = (
    EXAMPLE_SENTENCE,
    "Polski język jest trudny",
    "On pokazał mi język",
    "Król mieszka w starym zamku",
    "Zamek w drzwiach się zaciął",
)

#: Najwięcej tokenów na mapie ciepła widżetu (dłuższe zdania skracamy z notką).
MAX_TOKENS = 16

#: Najwięcej liczb w widżecie softmaksu.
MAX_SCORES = 12

#: Sposoby podziału zdania w widżecie.
SPLITS = {"słowa": "words", "tokeny kursu (BPE)": "kurs"}


def _finish(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # brakujące glify (emoji) w fontach matplotlib
        fig.tight_layout()


def _as_images(render):
    """Owiń ``render`` tak, żeby rysunki matplotlib trafiały do widżetu jako obrazki PNG.

    Wyświetlanie obiektu ``Figure`` wewnątrz ``ipywidgets.Output`` czasem zawieszało wykonanie
    notatnika przez nbclient (zmierzone: 1 na 5 uruchomień); gotowy PNG – ani razu na 5.
    """
    import functools
    import io

    from IPython.display import Image
    from matplotlib.figure import Figure

    def convert(item):
        if isinstance(item, Figure):
            buf = io.BytesIO()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # brakujące glify (emoji)
                item.savefig(buf, format="png", dpi=90, bbox_inches="tight")
            plt.close(item)
            return Image(buf.getvalue())
        return item

    @functools.wraps(render)
    def wrapped(**values):
        out = render(**values)
        return [convert(i) for i in out] if isinstance(out, (list, tuple)) else convert(out)

    return wrapped


def _short(label: str, n: int = 14) -> str:
    label = str(label)
    return label if len(label) <= n else label[: n - 1] + "…"


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


# ---------------------------------------------------------------------------------------------
# Schemat dla jednego tokenu i macierz kontekstu
# ---------------------------------------------------------------------------------------------


def naive_scheme_figure(inputs=None, labels=None, query: int = 1):
    """Schemat uwagi naiwnej dla tokenu ``query`` (od 0; domyślnie 1, czyli ``x^(2)``).

    Kolumny: wejścia ``x^(i)`` → wyniki ``ω = x^(q)·x^(i)`` → wagi ``α = softmax(ω)`` (słupki)
    → wektor kontekstu ``z^(q) = Σ α_i x^(i)``. Zwraca ``Figure``.
    """
    x = example_inputs() if inputs is None else inputs
    labels = list(EXAMPLE_TOKENS if labels is None else labels)
    require_type(x, torch.Tensor, "Wejścia muszą być tensorem (tokeny, wymiar).")
    require(x.dim() == 2 and x.shape[0] == len(labels), "Potrzebuję macierzy (tokeny, wymiar) i tylu etykiet, ile tokenów.")
    n = x.shape[0]
    require(1 <= n <= 12, "Schemat mieści od 1 do 12 tokenów.")
    require(isinstance(query, int) and 0 <= query < n, f"Numer tokenu query musi być od 0 do {n - 1}.")
    scores = x @ x[query]
    weights = softmax(scores)
    context = weights @ x
    q = query + 1

    fig, ax = plt.subplots(figsize=(12, 0.75 * n + 2.2))
    ax.set_xlim(-0.6, 12)
    ax.set_ylim(-1.6, n + 0.9)
    ax.axis("off")
    cmap = plt.get_cmap("viridis")
    ys = [n - 1 - i for i in range(n)]

    heads = [(1.75, "wejścia $x^{(i)}$"), (4.6, f"wynik $\\omega_{{{q}i}} = x^{{({q})}} \\cdot x^{{(i)}}$"),
             (7.3, f"waga $\\alpha_{{{q}i}}$ = softmax"), (10.4, f"wektor kontekstu $z^{{({q})}}$")]
    for xpos, text in heads:
        ax.text(xpos, n + 0.35, text, ha="center", va="center", fontsize=11, fontweight="bold")

    fmt = lambda v: "[" + ", ".join(f"{float(t):.2f}" for t in v) + "]"  # noqa: E731
    for i in range(n):
        y = ys[i]
        is_q = i == query
        ax.text(0.55, y, f"{_short(labels[i], 10)}", ha="right", va="center", fontsize=10,
                fontweight="bold" if is_q else "normal")
        ax.text(1.75, y, f"$x^{{({i + 1})}}$ = {fmt(x[i])}", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.3", fc="#fde68a" if is_q else "#f3f4f6",
                          ec="#b45309" if is_q else "#9ca3af", lw=2 if is_q else 1))
        ax.annotate("", xy=(3.7, y), xytext=(2.95, y), arrowprops=dict(arrowstyle="->", color="#6b7280"))
        ax.text(4.6, y, f"{float(scores[i]):.4f}", ha="center", va="center", fontsize=10,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#9ca3af"))
        ax.annotate("", xy=(6.1, y), xytext=(5.4, y), arrowprops=dict(arrowstyle="->", color="#6b7280"))
        w = float(weights[i])
        ax.add_patch(plt.Rectangle((6.2, y - 0.25), 2.2 * w / max(float(weights.max()), 1e-9), 0.5,
                                   fc=cmap(0.15 + 0.75 * w / max(float(weights.max()), 1e-9)), ec="none"))
        ax.text(8.55, y, f"{w:.4f}", ha="left", va="center", fontsize=10)
        ax.annotate("", xy=(9.6, n / 2 - 0.5), xytext=(9.3, y),
                    arrowprops=dict(arrowstyle="->", color="#9ca3af", lw=0.6 + 3 * w, connectionstyle="arc3,rad=0"))
    ctx = "[" + ", ".join(f"{float(t):.4f}" for t in context) + "]"
    ax.text(10.4, n / 2 - 0.5, f"$z^{{({q})}}$ =\n{ctx}", ha="center", va="center", fontsize=10,
            bbox=dict(boxstyle="round,pad=0.5", fc="#bfdbfe", ec="#1d4ed8", lw=2))
    ax.text(6, -1.0,
            f"$\\omega_{{{q}i}}$ – iloczyn skalarny,   $\\alpha_{{{q}i}} = e^{{\\omega_{{{q}i}}}} / \\sum_j e^{{\\omega_{{{q}j}}}}$,"
            f"   $z^{{({q})}} = \\sum_i \\alpha_{{{q}i}}\\, x^{{(i)}}$   (suma wag = {float(weights.sum()):.4f})",
            ha="center", va="center", fontsize=11)
    ax.set_title(f"Uwaga naiwna dla tokenu „{labels[query]}” ($x^{{({q})}}$) krok po kroku", fontsize=13)
    _finish(fig)
    return fig


def context_matrix_figure(weights, labels, *, title: str = "Macierz wag uwagi (uwaga naiwna)", ax=None):
    """Macierz wag ``(tokeny, tokeny)`` jako mapa ciepła z etykietami i wartościami."""
    labels = [_short(t) for t in labels]
    own = ax is None
    if own:
        n = len(labels)
        fig, ax = plt.subplots(figsize=(min(3.8 + 0.8 * n, 13), min(2.8 + 0.6 * n, 10)))
    heatmap(weights, labels, labels, ax=ax, vmin=0.0, vmax=1.0, title=title,
            xlabel="token j (na który patrzymy)", ylabel="token i (dla którego liczymy kontekst)")
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")
    if own:
        _finish(ax.figure)
        return ax.figure
    return ax


# ---------------------------------------------------------------------------------------------
# Widżet: softmax z temperaturą
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def parse_scores(text) -> list[float]:
    """Zamień napis z liczbami na listę: ``"2, 1, 0.1"`` albo (z przecinkiem dziesiętnym) ``"2,5; 1; -3"``.

    Separatory: średnik albo spacja; przecinek jest separatorem, chyba że w tekście jest średnik
    (wtedy to przecinek dziesiętny).
    """
    require_type(text, str, "Wyniki wpisz jako tekst, np. „2, 1, 0.1”.")
    text, _ = shorten(text, 500)
    text = text.replace("−", "-").replace("–", "-")
    if ";" in text:
        parts = [p.strip().replace(",", ".") for p in text.split(";")]
    else:
        parts = [p for p in re.split(r"[,\s]+", text.strip())]
    parts = [p for p in parts if p]
    require(len(parts) > 0, "Wpisz co najmniej jedną liczbę, np. „2, 1, 0.1”.")
    bad = [p for p in parts if not _NUMBER.match(p)]
    require(not bad, f"„{_short(bad[0], 20) if bad else ''}” to nie liczba: wpisz liczby oddzielone przecinkami, np. „2, 1, 0.1”.")
    require(len(parts) <= MAX_SCORES, f"Wpisz najwyżej {MAX_SCORES} liczb (teraz jest {len(parts)}), żeby wykres był czytelny.")
    values = [float(p) for p in parts]
    require(all(math.isfinite(v) and abs(v) <= 1e6 for v in values), "Liczby muszą być skończone i nie większe co do modułu niż 1 000 000.")
    return values


def softmax_table_html(scores, temperature: float) -> str:
    """Tabela: wynik, wynik/T, exp (naiwnie), exp po odjęciu maksimum, softmax naiwny i stabilny."""
    s = torch.tensor(scores, dtype=torch.float32) / temperature
    naive = naive_softmax(s)
    stable = softmax(s)
    m = float(s.max())
    rows = []
    for k, v in enumerate(scores):
        e_naive = math.exp(float(s[k])) if float(s[k]) < 88.72 else math.inf
        rows.append(
            f"<tr><td>{k + 1}</td><td>{v:g}</td><td>{float(s[k]):.3f}</td>"
            f"<td>{'inf (przepełnienie!)' if math.isinf(e_naive) else f'{e_naive:.4g}'}</td>"
            f"<td>{math.exp(float(s[k]) - m):.4g}</td>"
            f"<td>{'nan' if math.isnan(float(naive[k])) else f'{float(naive[k]):.4f}'}</td>"
            f"<td><b>{float(stable[k]):.4f}</b></td></tr>"
        )
    head = ("<tr><th>#</th><th>wynik ω</th><th>ω / T</th><th>exp(ω/T) naiwnie (float32)</th>"
            "<th>exp(ω/T − max)</th><th>softmax naiwny</th><th>softmax stabilny</th></tr>")
    warn = ""
    if torch.isnan(naive).any():
        warn = ('<div style="color:#b45309">Naiwny softmax dał <code>nan</code>: exp dużej liczby nie mieści się '
                'we float32 (limit ok. e<sup>88,7</sup>). Wersja stabilna odejmuje maksimum i działa.</div>')
    return ('<table style="border-collapse:collapse;font-size:13px;text-align:right" cellpadding="4">'
            + head + "".join(rows) + "</table>" + warn)


def softmax_render(wyniki: str = "2, 1, 0.1", temperatura: float = 1.0):
    """Softmax wpisanych wyników podzielonych przez temperaturę: tabela i słupki (T = 1 i T)."""
    scores = parse_scores(wyniki)
    require(isinstance(temperatura, (int, float)) and not isinstance(temperatura, bool) and temperatura > 0,
            "Temperatura musi być dodatnia (np. 1.0): przez nią dzielimy wyniki.")
    t = float(temperatura)
    probs = softmax(torch.tensor(scores) / t).tolist()
    base = softmax(torch.tensor(scores)).tolist()
    labels = [f"ω = {v:g}".replace(".", ",") for v in scores]
    t_pl = f"{t:g}".replace(".", ",")
    bars = row_html(bars_html(labels, base, digits=2, title="softmax(ω), T = 1"),
                    bars_html(labels, probs, digits=2, title=f"softmax(ω / T), T = {t_pl}: suma = {sum(probs):.4f}".replace(".", ",")),
                    basis=240)
    return [softmax_table_html(scores, t), Drawing(bars, base=base, probs=probs)]


def softmax_widget():
    """Widżet: pole z wynikami i suwak temperatury. Zwraca ``VBox``."""
    return interactive(
        softmax_render,
        title="Softmax: wpisz wyniki i zmień temperaturę",
        wyniki=text_box("2, 1, 0.1", "Wyniki ω (przecinki):"),
        temperatura=float_slider(1.0, 0.1, 5.0, "Temperatura T:", step=0.1),
    )


# ---------------------------------------------------------------------------------------------
# Widżet: wagi uwagi naiwnej dla zdania studenta
# ---------------------------------------------------------------------------------------------


def sentence_weights(zdanie: str, podzial: str = "words", dim: int = 3, seed: int = 123):
    """Etykiety, wektory, wagi i wektory kontekstu uwagi naiwnej dla zdania; plus lista notek."""
    require_type(zdanie, str, "Zdanie musi być napisem, np. „Kot śpi na piecu”.")
    require(podzial in ("words", "kurs", "auto"), "Podział może być „words”, „kurs” albo „auto”.")
    notes = []
    labels, x = sentence_vectors(zdanie, dim=dim, seed=seed, tokenizer=podzial)
    if labels.note:
        notes.append(Note(labels.note))
    labels = list(labels)
    if len(labels) > MAX_TOKENS:
        notes.append(Note(f"Zdanie ma {len(labels)} tokenów; pokazuję pierwsze {MAX_TOKENS}, żeby mapa była czytelna."))
        labels, x = labels[:MAX_TOKENS], x[:MAX_TOKENS]
    context, weights = naive_attention(x)
    return labels, x, weights, context, notes


def weights_render(zdanie: str = SENTENCES[1], podzial: str = "words"):
    """Wagi uwagi naiwnej dla zdania studenta (losowe wektory 3-D): mapy ciepła SVG i opis."""
    podzial = SPLITS.get(podzial, podzial)
    labels, x, weights, _, notes = sentence_weights(zdanie, podzial)
    n = len(labels)
    vectors = heatmap_svg(x, labels, ["1", "2", "3"], title="Wektory (losowe)")
    matrix = heatmap_svg(weights, labels, labels, vmin=0.0, vmax=1.0, title="Wagi uwagi naiwnej softmax(x xᵀ)")
    own = (weights.diagonal() >= weights.max(dim=-1).values - 1e-9).sum().item()
    info = (f'<div style="font-size:14px">{n} tokenów. Największą wagę token ma dla <b>samego siebie</b> '
            f"w {own} z {n} wierszy: iloczyn x·x = |x|² jest zwykle największy.</div>")
    drawing = Drawing(row_html(vectors, matrix, basis=200), x=x.tolist(), weights=weights.tolist())
    return [*notes, info, drawing]


def weights_widget():
    """Widżet: zdanie studenta → macierz wag uwagi naiwnej. Zwraca ``VBox``."""
    import ipywidgets as W

    split = W.Dropdown(options=list(SPLITS), value="słowa", description="Podział:",
                       style={"description_width": "initial"})
    return interactive(weights_render, title="Uwaga naiwna dla twojego zdania",
                       zdanie=text_box(SENTENCES[1]), podzial=split)


def weights_explorable(sentences=SENTENCES):
    """Rysunek do odkrywania: macierz wag uwagi naiwnej dla kilku zdań (przeliczone wcześniej)."""
    figs = {}
    for s in sentences:
        labels, _, weights, _, _ = sentence_weights(s, "words")
        figs[s] = heatmap_figure(weights, labels, labels, zmin=0.0, zmax=1.0,
                                 row_name="token i", col_name="patrzy na token j", value_name="waga α")
    return explorable(figs, title="Wagi uwagi naiwnej dla kilku zdań (wektory losowe, 3-D)",
                      alt="Mapa ciepła wag uwagi naiwnej: wiersze i kolumny to tokeny wybranego zdania, "
                          "w komórkach wagi od 0 do 1; w każdym wierszu suma wag wynosi 1.",
                      label="Zdanie")


def context_compare_html(word: str = "język", sentences=(SENTENCES[1], SENTENCES[2])) -> str:
    """HTML: wektor wejściowy słowa i jego wektory kontekstu w dwóch zdaniach."""
    rows = []
    for s in sentences:
        labels, x, _, context, _ = sentence_weights(s, "words")
        require(word in labels, f"Słowa „{word}” nie ma w zdaniu „{s}”.")
        i = labels.index(word)
        rows.append(f"<tr><td>„{html.escape(s)}”</td><td>{[round(v, 4) for v in x[i].tolist()]}</td>"
                    f"<td>{[round(v, 4) for v in context[i].tolist()]}</td></tr>")
    return ('<table style="font-size:13px" cellpadding="4"><tr><th>zdanie</th>'
            f"<th>wejście x („{html.escape(word)}”)</th><th>wektor kontekstu z</th></tr>" + "".join(rows) + "</table>")
