"""Widżet strony wstępnej: jedno zdanie przez całą drogę modelu (rozdziały 1–9 w pigułce).

Zdanie → tokeny → ID → wektory tokenów + wektory pozycji → wagi jednej głowy uwagi →
prawdopodobieństwa następnego tokenu według wytrenowanego małego GPT kursu.

- :func:`render_path` / :func:`path_widget` – na żywo (Colab, Binder, lokalnie),
- :func:`path_explorable` – ta sama droga dla 4 przeliczonych wcześniej zdań jako rysunek do
  odkrywania (działa na stronie bez jądra).
"""

from __future__ import annotations

import torch

from llmkurs.errors import require
from llmkurs.widgets.ch09 import (
    MAX_HEAD_TOKENS,
    mini_gpt,
    piece,
    prompt_ids,
    top_next_tokens,
)
from llmkurs.widgets.common import HtmlText, int_slider, interactive, text_box

#: Zdania przykładowe strony wstępnej.
PATH_SENTENCES = (
    "Oto fragment przykładowego wejścia",
    "Kot siedział na",
    "Babcia postawiła na stole",
    "Pociąg powoli wjechał na",
)

#: Ile pierwszych współrzędnych wektorów pokazujemy.
SHOWN_DIMS = 6


def path_data(zdanie: str, warstwa: int = 1, glowa: int = 1) -> dict:
    """Wszystkie kroki drogi dla zdania: tokeny, ID, wektory, wagi głowy, następny token."""
    model, tokenizer = mini_gpt()
    cfg = model.cfg
    require(isinstance(warstwa, int) and 1 <= warstwa <= cfg.n_layers, f"Numer warstwy musi być od 1 do {cfg.n_layers}.")
    require(isinstance(glowa, int) and 1 <= glowa <= cfg.n_heads, f"Numer głowy musi być od 1 do {cfg.n_heads}.")
    ids, notes = prompt_ids(zdanie, tokenizer, cfg.context_length, MAX_HEAD_TOKENS)
    id_list = ids[0].tolist()
    pieces = [tokenizer.decode([i]) for i in id_list]
    labels = [piece(tokenizer, i) for i in id_list]
    with torch.no_grad():
        tok = model.emb.tok_emb(ids)[0]
        pos = model.emb.position_vectors(len(id_list))
        model.set_keep_weights(True)
        model(ids)
    weights = model.attention_weights()[warstwa - 1][0, glowa - 1]
    top_labels, top_probs, _ = top_next_tokens(model, tokenizer, ids, temperature=1.0, k=10)
    return dict(ids=id_list, pieces=pieces, labels=labels, tok=tok, pos=pos, weights=weights,
                top_labels=top_labels, top_probs=top_probs, notes=notes, layer=warstwa, head=glowa,
                emb_dim=cfg.emb_dim)


def render_path(zdanie: str = "Oto fragment przykładowego wejścia", warstwa: int = 1, glowa: int = 1):
    """Zdanie przez całą drogę modelu: lista (notki, HTML tokenów, rysunek SVG z trzema krokami)."""
    from llmkurs.draw import Drawing, bars_html, heatmap_svg, row_html, tokens_html

    d = path_data(zdanie, warstwa, glowa)
    n = len(d["ids"])
    dims = [f"w{j + 1}" for j in range(SHOWN_DIMS)]
    head = tokens_html(d["pieces"], d["ids"], title="1–2. Tokeny i ich identyfikatory (ID)")
    summed = (d["tok"] + d["pos"])[:, :SHOWN_DIMS]
    mats = [(f"3. wektor tokenu (pierwsze {SHOWN_DIMS} z {d['emb_dim']} liczb)", d["tok"][:, :SHOWN_DIMS]),
            ("+ wektor pozycji", d["pos"][:, :SHOWN_DIMS]), ("= wejście modelu", summed)]
    lim = float(max(m.abs().max() for _, m in mats))
    vectors = row_html(*(heatmap_svg(m, d["labels"], dims, title=t, digits=1, vmin=-lim, vmax=lim) for t, m in mats), basis=220)
    w = d["weights"].detach().double().clone()
    w[torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)] = -torch.inf
    attention = heatmap_svg(w.tolist(), d["labels"], d["labels"], vmin=0.0, vmax=1.0,
                            title=f"4. Wagi uwagi: warstwa {d['layer']}, głowa {d['head']}")
    bars = bars_html(d["top_labels"], d["top_probs"], digits=3, title="5. Następny token (mały GPT)")
    drawing = Drawing(vectors + row_html(attention, bars, basis=300), tok=d["tok"].tolist(), pos=d["pos"].tolist(),
                      weights=d["weights"].tolist(), top_probs=d["top_probs"])
    return [*d["notes"], HtmlText(head), drawing]


def path_widget():
    """Widżet strony wstępnej: zdanie (i numer warstwy/głowy) → cała droga przez model."""
    model, _ = mini_gpt()
    return interactive(
        render_path,
        title="Jedno zdanie przez cały model",
        zdanie=text_box("Oto fragment przykładowego wejścia", "Zdanie:"),
        warstwa=int_slider(1, 1, model.cfg.n_layers, "Warstwa:"),
        glowa=int_slider(1, 1, model.cfg.n_heads, "Głowa:"),
    )


def path_explorable(sentences=PATH_SENTENCES, warstwa: int = 1, glowa: int = 1):
    """Rysunek do odkrywania: dla każdego zdania prawdopodobieństwa następnego tokenu albo wagi głowy."""
    from llmkurs.explore import bar_figure, explorable, heatmap_figure

    variants = {}
    for zdanie in sentences:
        d = path_data(zdanie, warstwa, glowa)
        bars = bar_figure(d["top_probs"], d["top_labels"], title=f"„{zdanie}” → następny token według małego GPT",
                          value_name="prawdopodobieństwo", yrange=(0, 1))
        heat = heatmap_figure(d["weights"], d["labels"], d["labels"], zmin=0.0, zmax=1.0,
                              title=f"„{zdanie}”: wagi uwagi (warstwa {warstwa}, głowa {glowa})",
                              row_name="pyta token", col_name="patrzy na", value_name="waga")
        variants[zdanie] = {"następny token": bars, "uwaga": heat}
    return explorable(variants, title="Zdanie w małym GPT: uwaga i następny token",
                      alt="Dla wybranego zdania: słupki prawdopodobieństw następnego tokenu albo mapa ciepła wag jednej głowy uwagi.",
                      label="Zdanie", slider_label="Widok (0: następny token, 1: uwaga)")
