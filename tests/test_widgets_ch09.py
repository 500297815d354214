"""Widżety rozdziału 9 i strony wstępnej: funkcje render z dziwnymi danymi."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.draw import Drawing  # noqa: E402
from llmkurs.explore import Explorable  # noqa: E402
from llmkurs.model import generate  # noqa: E402
from llmkurs.widgets import ch09, intro  # noqa: E402
from llmkurs.widgets.common import ErrorMessage, HtmlText, Note, safe_render  # noqa: E402

ODD = ["", "   ", "😀🐈", "ż", "Zażółć gęślą jaźń " * 6000, "\u200b\u0301", "kot\nkot\tkot", "<b>kot</b> & \"pies\""]


def kinds(result):
    return [type(x).__name__ for x in (result if isinstance(result, list) else [result])]


def test_generation_initial_state_is_deterministic_and_matches_generate():
    a = ch09.render_generation()
    b = ch09.render_generation()
    html_a = [x for x in a if isinstance(x, HtmlText)][0]._repr_html_()
    html_b = [x for x in b if isinstance(x, HtmlText)][0]._repr_html_()
    assert html_a == html_b
    model, tok = ch09.mini_gpt()
    ids = torch.tensor([tok.encode("Kot siedział na")])
    out = generate(model, ids, 20, model.cfg.context_length, temperature=0.8, top_k=20,
                   generator=torch.Generator().manual_seed(123))
    first = tok.decode(out[0, ids.shape[1]:ids.shape[1] + 1].tolist())
    assert first.replace("&", "&amp;").replace("<", "&lt;") in html_a
    bars = a[-1]
    assert isinstance(bars, Drawing) and not any(isinstance(x, Figure) for x in a)
    # słupki: 10 najbardziej prawdopodobnych tokenów po promptcie przy T = 0,8 i top-k 20
    from llmkurs.model import next_token_probs
    probs = next_token_probs(model, ids, temperature=0.8, top_k=20)[0]
    values, idx = torch.topk(probs, 10)
    assert bars.data["ids"] == idx.tolist()
    assert bars.data["probs"] == pytest.approx(values.tolist(), abs=1e-6)


def test_generation_greedy_equals_top_k_one():
    g = ch09.render_generation("Babcia postawiła na stole", 0.0, 0, 10, 1)
    k1 = ch09.render_generation("Babcia postawiła na stole", 1.7, 1, 10, 99)
    text = lambda r: [x for x in r if isinstance(x, HtmlText)][0].text.split("Pogrubiony")[0]  # noqa: E731
    assert text(g) == text(k1)
    assert text(g) != text(ch09.render_generation("Babcia postawiła na stole", 1.7, 50, 10, 99))


@pytest.mark.parametrize("prompt", ODD)
def test_generation_odd_prompts(prompt):
    out = safe_render(ch09.render_generation, prompt=prompt, temperature=0.8, top_k=20, length=5, seed=1)
    if prompt.strip() == "":
        assert isinstance(out, ErrorMessage) and "prompt" in out.text.lower()
    else:
        assert isinstance(out, list), out
        if len(prompt) > 2000:
            assert isinstance(out[0], Note)


def test_generation_bad_parameters():
    for kwargs in (dict(temperature=-1.0), dict(top_k=-2), dict(length=0), dict(length=10_000)):
        out = safe_render(ch09.render_generation, **{"prompt": "Kot", **kwargs})
        assert isinstance(out, ErrorMessage), kwargs


def test_heads_render_shapes_and_rows_sum_to_one():
    weights, labels, notes = ch09.head_weights("Kot siedział na parapecie", 2)
    model, _ = ch09.mini_gpt()
    assert weights.shape == (model.cfg.n_heads, len(labels), len(labels))
    assert torch.allclose(weights.sum(-1), torch.ones(model.cfg.n_heads, len(labels)), atol=1e-5)
    assert torch.all(torch.triu(weights, diagonal=1) == 0)
    out = ch09.render_heads("Kot siedział na parapecie", 2)
    assert isinstance(out[-1], Drawing) and out[-1].text.count("<svg") == model.cfg.n_heads
    assert torch.allclose(torch.tensor(out[-1].data["weights"]), weights)


@pytest.mark.parametrize("prompt", ODD)
def test_heads_odd_prompts(prompt):
    out = safe_render(ch09.render_heads, prompt=prompt, layer=1)
    if prompt.strip() == "":
        assert isinstance(out, ErrorMessage)
    else:
        assert isinstance(out, list) and isinstance(out[-1], Drawing)


def test_heads_bad_layer():
    assert isinstance(safe_render(ch09.render_heads, prompt="Kot", layer=0), ErrorMessage)
    assert isinstance(safe_render(ch09.render_heads, prompt="Kot", layer=99), ErrorMessage)


def test_widgets_build():
    for build in (ch09.generation_widget, ch09.heads_widget, intro.path_widget):
        box = build()
        assert box.controls and box.output is not None


def test_next_token_explorable():
    fig = ch09.next_token_explorable()
    assert isinstance(fig, Explorable) and fig.nested
    assert len(fig.payload) == 3 and all(len(v) == 4 for v in fig.payload.values())
    html_text = fig.to_html()
    assert "Temperatura" in html_text
    assert fig.to_html() == ch09.next_token_explorable().to_html()   # deterministyczny


def test_path_data_matches_model():
    d = intro.path_data("Oto fragment przykładowego wejścia", 1, 1)
    model, tok = ch09.mini_gpt()
    assert d["ids"] == tok.encode("Oto fragment przykładowego wejścia")
    ids = torch.tensor([d["ids"]])
    with torch.no_grad():
        expected_x = model.emb.tok_emb.weight[ids[0]] + model.emb.pos_emb.weight[: len(d["ids"])]
        probs = torch.softmax(model(ids)[0, -1], dim=-1)
    assert torch.allclose(d["tok"] + d["pos"], expected_x)
    assert d["top_probs"][0] == pytest.approx(probs.max().item(), rel=1e-5)
    assert torch.allclose(d["weights"].sum(-1), torch.ones(len(d["ids"])), atol=1e-5)
    drawing = intro.render_path("Oto fragment przykładowego wejścia", 1, 1)[-1]
    assert drawing.data["top_probs"] == d["top_probs"] and drawing.text.count("<svg") == 4


@pytest.mark.parametrize("prompt", ODD)
def test_path_odd_inputs(prompt):
    out = safe_render(intro.render_path, zdanie=prompt, warstwa=2, glowa=3)
    if prompt.strip() == "":
        assert isinstance(out, ErrorMessage)
    else:
        assert isinstance(out, list) and isinstance(out[-1], Drawing)
        assert not any(isinstance(x, Figure) for x in out)


def test_path_bad_layer_head():
    assert isinstance(safe_render(intro.render_path, zdanie="Kot", warstwa=9, glowa=1), ErrorMessage)
    assert isinstance(safe_render(intro.render_path, zdanie="Kot", warstwa=1, glowa=0), ErrorMessage)


def test_path_explorable():
    fig = intro.path_explorable()
    assert isinstance(fig, Explorable) and fig.nested
    assert list(fig.payload) == list(intro.PATH_SENTENCES)
    assert all(set(v) == {"następny token", "uwaga"} for v in fig.payload.values())
