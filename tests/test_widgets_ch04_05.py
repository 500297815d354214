"""Widżety i rysunki rozdziałów 4–5: dziwne dane studenta, liczby eksperymentu √d_k."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.attention import EXAMPLE_TOKENS, example_inputs, naive_attention  # noqa: E402
from llmkurs.draw import Drawing  # noqa: E402
from llmkurs.errors import KursError  # noqa: E402
from llmkurs.widgets import ch04, ch05  # noqa: E402
from llmkurs.widgets.common import ErrorMessage, Note, safe_render  # noqa: E402

ODD = ["", "   ", "🙂🙂🙂", "kot", "słowo " * 20_000, "Zażółć gęślą jaźń\u0301 ∑ \u200b", "a\nb\tc"]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _figures(result):
    """Rysunki widżetu: HTML/SVG z liczbami (``Drawing``); PNG matplotlib już nie ma."""
    assert not any(isinstance(r, Figure) for r in result)
    return [r for r in result if isinstance(r, Drawing)]


# --- rozdział 4 -----------------------------------------------------------------------------------

def test_scheme_and_context_figures():
    fig = ch04.naive_scheme_figure()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    # Liczby książki na rysunku: wynik ω_21 i wektor kontekstu z^(2).
    assert "0.9544" in texts and "[0.4419, 0.6515, 0.5683]" in texts
    _, w = naive_attention(example_inputs())
    fig = ch04.context_matrix_figure(w, EXAMPLE_TOKENS)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(EXAMPLE_TOKENS)
    with pytest.raises(KursError):
        ch04.naive_scheme_figure(example_inputs(), EXAMPLE_TOKENS, query=6)


@pytest.mark.parametrize("text,expected", [
    ("2, 1, 0.1", [2.0, 1.0, 0.1]),
    ("2,5; 1; −3", [2.5, 1.0, -3.0]),
    ("1 2   3", [1.0, 2.0, 3.0]),
    ("1e2, -.5", [100.0, -0.5]),
])
def test_parse_scores(text, expected):
    assert ch04.parse_scores(text) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["", "abc", "1, 2, x", "1e999", ",".join(["1"] * 13), "🙂", "nan"])
def test_parse_scores_bad(bad):
    with pytest.raises(KursError):
        ch04.parse_scores(bad)


def test_softmax_render_values_and_overflow_note():
    html, fig = ch04.softmax_render("1000, 1001, 1002", 1.0)
    assert "nan" in html and "0.6652" in html and isinstance(fig, Drawing)
    assert fig.data["probs"] == pytest.approx(torch.softmax(torch.tensor([0.0, 1.0, 2.0]), 0).tolist(), abs=1e-6)
    assert "0,67" in fig.text  # słupki z przecinkiem dziesiętnym
    html, _ = ch04.softmax_render("2, 1, 0.1", 0.5)
    expected = torch.softmax(torch.tensor([4.0, 2.0, 0.2]), 0)
    assert f"{expected[0].item():.4f}" in html
    for t in (0, -1.0):
        assert isinstance(safe_render(ch04.softmax_render, wyniki="1, 2", temperatura=t), ErrorMessage)


@pytest.mark.parametrize("text", ODD)
@pytest.mark.parametrize("split", ["słowa", "tokeny kursu (BPE)"])
def test_weights_render_odd_input(text, split):
    out = safe_render(ch04.weights_render, zdanie=text, podzial=split)
    if text.strip() == "":
        assert isinstance(out, ErrorMessage) and "Wpisz zdanie" in out.text
        return
    if isinstance(out, ErrorMessage):  # tokenizer kursu niedostępny: jedno polskie zdanie
        assert split != "słowa" and "Tokenizer" in out.text
        return
    (drawing,) = _figures(out)
    n = len(drawing.data["weights"])
    assert torch.allclose(torch.tensor(drawing.data["weights"]).sum(-1), torch.ones(n), atol=1e-5)
    assert drawing.text.count("<rect") == n * 3 + n * n  # wektory (n × 3) i wagi (n × n)
    if len(text) > 1000:
        assert any(isinstance(r, Note) for r in out)


def test_sentence_weights_rows_sum_to_one_and_limit():
    labels, x, w, z, notes = ch04.sentence_weights("Ala ma kota " * 10)
    assert len(labels) == ch04.MAX_TOKENS and notes
    assert torch.allclose(w.sum(-1), torch.ones(len(labels)), atol=1e-6)
    assert torch.allclose(z, w @ x, atol=1e-6)


def test_context_compare_and_explorable():
    html = ch04.context_compare_html()
    assert html.count("<tr>") == 3
    ex = ch04.weights_explorable(ch04.SENTENCES[:2])
    assert len(ex.payload) == 2 and "Zdanie" in ex.to_html()


def test_widgets_build_and_show_errors():
    box = ch04.softmax_widget()
    box.controls["wyniki"].value = "a, b"
    box = ch04.weights_widget()
    box.controls["zdanie"].value = ""
    box.controls["zdanie"].value = "🙂"


# --- rozdział 5 -----------------------------------------------------------------------------------

def test_formula_figure():
    fig = ch05.formula_figure()
    assert any("softmax" in t.get_text() for t in fig.axes[0].texts)


def test_jacobian_norm_matches_autograd():
    gen = torch.Generator().manual_seed(0)
    for _ in range(3):
        s = torch.randn(5, generator=gen) * 3
        jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, -1), s)
        assert ch05.softmax_jacobian_norm(torch.softmax(s, -1)).item() == pytest.approx(jac.norm().item(), abs=1e-6)


def test_scaling_stats_follow_theory():
    st = ch05.scaling_stats(d_ks=(1, 16, 256), samples=400)
    for d, std in zip(st["d_k"], st["std"]):
        assert std == pytest.approx(math.sqrt(d), rel=0.1)
    # Bez skalowania: największa waga rośnie, norma gradientu maleje; ze skalowaniem: prawie stałe.
    assert st["max_unscaled"][0] < st["max_unscaled"][1] < st["max_unscaled"][2]
    assert st["grad_unscaled"][2] < 0.35 * st["grad_unscaled"][0]
    assert max(st["max_scaled"]) - min(st["max_scaled"]) < 0.1
    assert max(st["grad_scaled"]) - min(st["grad_scaled"]) < 0.05
    with pytest.raises(KursError):
        ch05.scaling_stats(d_ks=(0,))


def test_scaling_render():
    assert isinstance(ch05.scaling_render(8), Figure)  # rysunek rozdziału (matplotlib)
    html = ch05.scaling_html(64)  # widżet (SVG): te same próby co rysunek
    assert html.data["std"] == pytest.approx(8.0, rel=0.1)
    assert max(html.data["unscaled"]) > max(html.data["scaled"])
    assert sum(html.data["scaled"]) == pytest.approx(1.0, abs=1e-5)
    assert html.data["stats"] == ch05.scaling_stats()
    for bad in (0, 5000, 2.5, True):
        assert isinstance(safe_render(ch05.scaling_render, d_k=bad), ErrorMessage)
        assert isinstance(safe_render(ch05.scaling_html, d_k=bad), ErrorMessage)


def test_sentence_qkv_matches_module_and_formula():
    labels, r = ch05.sentence_qkv("Polski język jest trudny", d_k=3)
    assert labels == ["Polski", "język", "jest", "trudny"]
    ref = torch.nn.functional.scaled_dot_product_attention(r["Q"], r["K"], r["V"])
    assert torch.allclose(r["context"], ref, atol=1e-6)
    _, raw = ch05.sentence_qkv("Polski język jest trudny", d_k=3, skalowanie=False)
    assert torch.allclose(raw["weights"], torch.softmax(r["scores"], -1), atol=1e-6)


@pytest.mark.parametrize("text", ODD)
def test_qkv_render_odd_input(text):
    out = safe_render(ch05.qkv_render, zdanie=text, d_k=4, skalowanie=True, podzial="słowa")
    if text.strip() == "":
        assert isinstance(out, ErrorMessage)
    else:
        (drawing,) = _figures(out)
        w = torch.tensor(drawing.data["weights"])
        scores = torch.tensor(drawing.data["scores"])
        assert torch.allclose(w, torch.softmax(scores / 2.0, -1), atol=1e-5)  # √d_k = √4
    assert isinstance(safe_render(ch05.qkv_render, zdanie="kot", d_k=0, skalowanie=True, podzial="słowa"), ErrorMessage)


def test_ch05_widgets_and_explorable():
    box = ch05.scaling_widget()
    box.controls["d_k"].value = 1024
    box = ch05.qkv_widget()
    box.controls["zdanie"].value = ""
    ex = ch05.weights_explorable(sentences=ch05.SENTENCES[:1], d_ks=(2, 512))
    assert set(ex.payload[ch05.SENTENCES[0]]) == {"2", "512"}
