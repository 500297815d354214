"""Widżety rozdziału 9: mały GPT dopisuje tekst, prawdopodobieństwa następnego tokenu, głowy uwagi.

- :func:`render_generation` / :func:`generation_widget` – prompt → dopisany tekst, suwaki
  temperatury, top-k, długości i ziarna (losowanie z ustalonym ziarnem, więc stan początkowy jest
  powtarzalny), pod spodem słupki prawdopodobieństw następnego tokenu.
- :func:`render_heads` / :func:`heads_widget` – wagi uwagi wszystkich głów wybranej warstwy
  wytrenowanego modelu dla promptu (mapy ciepła z tokenami na osiach).
- :func:`next_token_explorable` – rysunek do odkrywania: prawdopodobieństwa następnego tokenu
  dla kilku promptów × suwak temperatury (na stronie bez jądra).
"""

from __future__ import annotations

import html
import warnings
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import torch

from llmkurs.draw import Drawing, bars_html, heatmap_svg, row_html
from llmkurs.errors import require, require_type
from llmkurs.polish import decimal_pl
from llmkurs.widgets.common import (
    HtmlText,
    Note,
    float_slider,
    int_slider,
    interactive,
    shorten,
    text_box,
)

# Emoji i znaki sterujące w tytułach rysunków: brak glifu w foncie to nie błąd studenta.
warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")

#: Prompty przykładowe rozdziału (zdania w stylu korpusu kursu).
EXAMPLE_PROMPTS = (
    "Kot siedział na",
    "Babcia postawiła na stole",
    "Pociąg powoli wjechał na",
    "Oto fragment przykładowego wejścia",
)

#: Najdłuższy prompt pokazywany na mapach uwagi (dłuższy obcinamy od początku).
MAX_HEAD_TOKENS = 16


@lru_cache(maxsize=1)
def mini_gpt():
    """Wytrenowany mały GPT kursu i tokenizer (wczytane raz, model w trybie ewaluacji)."""
    from llmkurs.model import load_mini_gpt

    model, tokenizer = load_mini_gpt()
    model.set_keep_weights(True)
    return model, tokenizer


def piece(tokenizer, token_id: int) -> str:
    """Tekst jednego tokenu (spacja na początku widoczna jako „·”, nowa linia jako „↵”)."""
    text = tokenizer.decode([int(token_id)])
    return text.replace(" ", "·").replace("\n", "↵").replace("\t", "⇥") or "∅"


def prompt_ids(prompt, tokenizer, context_length: int, limit: int | None = None):
    """Prompt → tensor ``(1, tokeny)`` i lista notek (skrócenie); pusty prompt to polski błąd."""
    require_type(prompt, str, "Prompt musi być napisem (str).")
    notes = []
    prompt, note = shorten(prompt)
    if note:
        notes.append(note)
    require(prompt.strip() != "", "Wpisz prompt – choć jedno słowo, od którego model ma zacząć.")
    ids = tokenizer.encode(prompt)
    limit = min(limit or context_length, context_length)
    if len(ids) > limit:
        notes.append(Note(f"Prompt ma {len(ids)} tokenów; model widzi ostatnie {limit}."))
        ids = ids[-limit:]
    return torch.tensor([ids], dtype=torch.long), notes


def probability_bars(probs, labels, *, title: str | None = None, ax=None, highlight: int | None = None):
    """Poziome słupki prawdopodobieństw (największe na górze) z wartościami przy słupkach."""
    probs = np.asarray(probs, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.36 * len(probs) + 1.0))
    colors = plt.get_cmap("viridis")(np.linspace(0.25, 0.75, len(probs)))
    if highlight is not None:
        colors[highlight] = (0.99, 0.66, 0.15, 1.0)
    y = np.arange(len(probs))
    ax.barh(y, probs, color=colors)
    ax.set_yticks(y)
    ax.set_yticklabels(list(labels), fontfamily="monospace")
    ax.invert_yaxis()
    top = max(float(probs.max()) if len(probs) else 1.0, 1e-9)
    ax.set_xlim(0, min(1.0, top * 1.25) if top < 0.8 else 1.05)
    for i, p in enumerate(probs):
        ax.text(p + top * 0.01, i, decimal_pl(p, 3), va="center", fontsize=9)
    ax.set_xlabel("prawdopodobieństwo")
    if title:
        ax.set_title(title)
    return ax


def top_next_tokens(model, tokenizer, ids, *, temperature: float = 1.0, top_k: int | None = None, k: int = 10):
    """``k`` najbardziej prawdopodobnych następnych tokenów: (etykiety, prawdopodobieństwa, ID)."""
    from llmkurs.model import next_token_probs

    probs = next_token_probs(model, ids, temperature=temperature, top_k=top_k)[0]
    values, idx = torch.topk(probs, k)
    return [piece(tokenizer, i) for i in idx.tolist()], values.tolist(), idx.tolist()


def render_generation(prompt: str = "Kot siedział na", temperature: float = 0.8, top_k: int = 20,
                      length: int = 20, seed: int = 123):
    """Prompt → tekst dopisany przez mały GPT i słupki prawdopodobieństw pierwszego nowego tokenu.

    ``temperature = 0`` to wybór zachłanny; ``top_k = 0`` oznacza „bez ograniczenia top-k”.
    Losowanie używa ``torch.Generator`` z ziarnem ``seed``, więc te same ustawienia dają ten sam tekst.
    """
    from llmkurs.model import generate

    require(isinstance(temperature, (int, float)) and temperature >= 0, "Temperatura musi być liczbą ≥ 0 (0 = wybór zachłanny).")
    require(isinstance(top_k, int) and top_k >= 0, "top-k musi być liczbą całkowitą ≥ 0 (0 = bez ograniczenia).")
    require(isinstance(length, int) and 1 <= length <= 200, "Długość musi być liczbą tokenów od 1 do 200.")
    model, tokenizer = mini_gpt()
    ctx = model.cfg.context_length
    ids, notes = prompt_ids(prompt, tokenizer, ctx)
    k = top_k or None
    gen = torch.Generator().manual_seed(int(seed))
    out = generate(model, ids, length, ctx, temperature=float(temperature), top_k=k, generator=gen)
    new = out[0, ids.shape[1]:].tolist()
    prompt_text = tokenizer.decode(ids[0].tolist())
    new_pieces = [tokenizer.decode([t]) for t in new]
    spans = "".join(
        f'<span title="ID {t}" style="background:{"#fde68a" if j % 2 == 0 else "#bfdbfe"};color:#111827;'
        f'white-space:pre-wrap;border-radius:2px">{html.escape(p)}</span>'
        for j, (t, p) in enumerate(zip(new, new_pieces))
    )
    mode = "wybór zachłanny (argmax)" if temperature == 0 else f"temperatura {temperature:.2f}".replace(".", ",") + f", top-k {k or 'bez ograniczenia'}, ziarno {seed}"
    text_html = (
        '<div style="font-size:15px;line-height:1.7;max-width:48em">'
        f'<span style="color:#374151;font-weight:600">{html.escape(prompt_text)}</span>{spans}</div>'
        f'<div style="font-size:12px;color:#4b5563">Pogrubiony: prompt; kolorowe tła: kolejne dopisane '
        f'tokeny ({len(new)}). Ustawienia: {mode}.</div>'
    )
    labels, values, idx = top_next_tokens(model, tokenizer, ids, temperature=float(temperature) if temperature > 0 else 1.0,
                                          top_k=k, k=min(10, k or 10))
    chosen = idx.index(new[0]) if new and new[0] in idx else None
    title = f"Następny token po „{shorten(prompt_text, 40)[0]}”" + (" (pomarańczowy: wybrany)" if chosen is not None else "")
    bars = Drawing(bars_html(labels, values, digits=3, title=title, highlight=chosen), ids=idx, probs=values)
    return [*notes, HtmlText(text_html), bars]


def generation_widget():
    """Widżet: prompt → dopisany tekst; suwaki temperatury, top-k, długości i ziarna."""
    return interactive(
        render_generation,
        title="Mały GPT dopisuje tekst",
        prompt=text_box("Kot siedział na", "Prompt:"),
        temperature=float_slider(0.8, 0.0, 2.0, "Temperatura (0 = zachłannie):", step=0.05),
        top_k=int_slider(20, 0, 100, "top-k (0 = wszystkie tokeny):"),
        length=int_slider(20, 1, 60, "Długość (tokeny):"),
        seed=int_slider(123, 0, 1000, "Ziarno losowania:"),
    )


def head_weights(prompt: str, layer: int = 1):
    """Wagi uwagi warstwy ``layer`` (numerowanej od 1) dla promptu: (tensor ``(głowy, t, t)``, tokeny)."""
    model, tokenizer = mini_gpt()
    n_layers = model.cfg.n_layers
    require(isinstance(layer, int) and 1 <= layer <= n_layers, f"Numer warstwy musi być od 1 do {n_layers}.")
    ids, notes = prompt_ids(prompt, tokenizer, model.cfg.context_length, MAX_HEAD_TOKENS)
    model.set_keep_weights(True)
    with torch.no_grad():
        model(ids)
    weights = model.attention_weights()[layer - 1][0]
    labels = [piece(tokenizer, i) for i in ids[0].tolist()]
    return weights, labels, notes


def render_heads(prompt: str = "Kot siedział na parapecie", layer: int = 1):
    """Mapy ciepła SVG wag uwagi wszystkich głów jednej warstwy małego GPT dla promptu."""
    weights, labels, notes = head_weights(prompt, layer)
    n = len(labels)
    mask = np.triu(np.ones((n, n), dtype=bool), k=1)
    data = weights.detach().double().clone()
    data[:, torch.as_tensor(mask)] = -torch.inf
    maps = [heatmap_svg(data[h].tolist(), labels, labels, vmin=0.0, vmax=1.0, title=f"warstwa {layer}, głowa {h + 1}")
            for h in range(weights.shape[0])]
    return [*notes, Drawing(row_html(*maps, basis=260), weights=weights.tolist(), labels=labels)]


def heads_widget():
    """Widżet: prompt i numer warstwy → wagi uwagi wszystkich głów tej warstwy."""
    model, _ = mini_gpt()
    return interactive(
        render_heads,
        title="Głowy uwagi wytrenowanego małego GPT",
        prompt=text_box("Kot siedział na parapecie", "Prompt:"),
        layer=int_slider(1, 1, model.cfg.n_layers, "Warstwa:"),
    )


def next_token_explorable(prompts=EXAMPLE_PROMPTS[:3], temperatures=(0.5, 1.0, 1.5, 2.0), k: int = 10):
    """Rysunek do odkrywania: prawdopodobieństwa następnego tokenu (prompt × temperatura)."""
    from llmkurs.explore import bar_figure, explorable

    model, tokenizer = mini_gpt()
    variants = {}
    for prompt in prompts:
        ids, _ = prompt_ids(prompt, tokenizer, model.cfg.context_length)
        per_t = {}
        for t in temperatures:
            labels, values, _ = top_next_tokens(model, tokenizer, ids, temperature=float(t), k=k)
            per_t[f"{t:.1f}"] = bar_figure(values, labels, title=f"„{prompt}” → następny token (T = {t:.1f})",
                                           value_name="prawdopodobieństwo", yrange=(0, 1))
        variants[prompt] = per_t
    return explorable(variants, title="Prawdopodobieństwa następnego tokenu małego GPT",
                      alt="Wykres słupkowy: dziesięć najbardziej prawdopodobnych następnych tokenów dla wybranego promptu i temperatury.",
                      label="Prompt", slider_label="Temperatura")
