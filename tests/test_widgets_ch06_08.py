"""Widżety i rysunki rozdziałów 6–8: dziwne dane wejściowe dają jedno polskie zdanie, a wyniki
zgadzają się z niezależnie policzonymi wartościami."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.attention import causal_mask, example_inputs  # noqa: E402
from llmkurs.draw import Drawing  # noqa: E402
from llmkurs.errors import KursError  # noqa: E402
from llmkurs.polish import plural_pl  # noqa: E402
from llmkurs.widgets import ch06, ch07, ch08  # noqa: E402
from llmkurs.widgets.common import ErrorMessage, Note, safe_render  # noqa: E402

ODD_TEXTS = [
    "😀🎉🐈",
    "x" * 100_000,
    "słowo",
    "zażółć gęślą jaźń " * 40,
    "a\u0301\u200b\u202eźle",          # znak łączący, zero-width space, RTL override
    "\t\n  kot  \n",
    "....!!!???",
    "中文 العربية",
]
EMPTY_TEXTS = ["", "   ", "\n\t"]


def _close(result):
    for item in result if isinstance(result, list) else [result]:
        if isinstance(item, Figure):
            plt.close(item)


def _check_ok(result):
    assert isinstance(result, list), result
    assert isinstance(result[-1], Drawing) and "<svg" in result[-1].text
    assert not any(isinstance(item, Figure) for item in result)
    assert any(isinstance(item, str) for item in result)
    _close(result)


def test_ch06_drawing_hides_the_future_and_frames_the_row():
    (*_, info, drawing) = ch06.render("Oto fragment przykładowego wejścia", pozycja=2)
    w = torch.tensor(drawing.data["weights"])
    assert torch.all(w.masked_select(causal_mask(4)) == 0)
    assert drawing.text.count(">–</text>") == 6  # 6 przyszłych komórek 4×4: szare „–”
    assert drawing.text.count('stroke="#dc2626"') == 1 and drawing.data["focus_row"] == 1
    (*_, unmasked) = ch06.render("Oto fragment przykładowego wejścia", pozycja=2, maska=False)
    assert ">–</text>" not in unmasked.text


def test_ch07_drawing_marks_dropped_cells():
    (*_, drawing) = ch07.render("Oto fragment przykładowego wejścia", p=0.5, ziarno=123)
    before, after = torch.tensor(drawing.data["before"]), torch.tensor(drawing.data["after"])
    dropped = torch.tensor(drawing.data["dropped"])
    assert torch.equal(dropped, (after == 0) & (before > 0))
    assert drawing.text.count(">×</text>") == int(dropped.sum())
    assert torch.allclose(after[after > 0], before[after > 0] * 2, atol=1e-6)


def test_ch08_drawing_has_one_map_per_head():
    (*_, drawing) = ch08.render("Polski język jest trudny", liczba_glow=4, d_out=8)
    assert drawing.text.count("<svg") == 4
    w = torch.tensor(drawing.data["weights"])
    assert w.shape == (4, 4, 4) and torch.allclose(w.sum(-1), torch.ones(4, 4), atol=1e-5)


@pytest.mark.parametrize("render,kwargs", [
    (ch06.render, {"pozycja": 3}),
    (ch06.render, {"pozycja": 12, "maska": False}),
    (ch07.render, {"p": 0.5, "ziarno": 1}),
    (ch08.render, {"liczba_glow": 4, "d_out": 8}),
])
@pytest.mark.parametrize("text", ODD_TEXTS)
def test_renders_survive_odd_sentences(render, kwargs, text):
    _check_ok(safe_render(render, zdanie=text, **kwargs))


@pytest.mark.parametrize("render", [ch06.render, ch07.render, ch08.render])
@pytest.mark.parametrize("text", EMPTY_TEXTS + [None, 123, ["lista"]])
def test_renders_explain_empty_or_wrong_type_in_polish(render, text):
    result = safe_render(render, zdanie=text)
    assert isinstance(result, ErrorMessage)
    assert "Nieoczekiwany" not in result.text
    assert result.text.endswith(".") and len(result.text) < 200


def test_long_sentence_is_cut_with_a_note():
    result = ch06.render(" ".join(f"słowo{i}" for i in range(60)), pozycja=5)
    notes = [item for item in result if isinstance(item, Note)]
    assert notes and "12" in notes[-1].text
    _close(result)


@pytest.mark.parametrize("kwargs,phrase", [
    ({"pozycja": 0}, "od 1"),
    ({"pozycja": -3}, "od 1"),
    ({"pozycja": 2.5}, "całkowit"),
    ({"pozycja": True}, "całkowit"),
])
def test_ch06_bad_position(kwargs, phrase):
    result = safe_render(ch06.render, zdanie="Ala ma kota", **kwargs)
    assert isinstance(result, ErrorMessage) and phrase in result.text


def test_ch06_position_beyond_sentence_is_clamped_with_note():
    result = ch06.render("Ala ma kota", pozycja=9)
    assert any(isinstance(item, Note) and "3" in item.text for item in result)
    html = next(item for item in result if isinstance(item, str))
    assert "Pozycja 3" in html and "ostatni token" in html
    _close(result)


def test_ch06_visible_tokens_text():
    result = ch06.render("Oto fragment przykładowego wejścia", pozycja=2)
    html = next(item for item in result if isinstance(item, str))
    assert "„Oto”" in html and "„fragment”" in html
    assert "Nie widzi (przyszłość, zamaskowana): „przykładowego”, „wejścia”" in html
    _close(result)


def test_ch06_attention_weights_reproduce_book_numbers():
    w = ch06.attention_weights(example_inputs(), causal=True, seed=789)
    assert torch.allclose(w[1, :2], torch.tensor([0.5517, 0.4483]), atol=1e-4)
    assert torch.allclose(w[2, :3], torch.tensor([0.3800, 0.3097, 0.3103]), atol=1e-4)
    assert torch.all(w.masked_select(causal_mask(6)) == 0)
    full = ch06.attention_weights(example_inputs(), causal=False, seed=789)
    assert torch.allclose(full[0], torch.tensor([0.1921, 0.1646, 0.1652, 0.1550, 0.1721, 0.1510]), atol=1e-4)
    # Sposób A (zero po softmaksie + normalizacja) == sposób B (−∞ przed softmaksem).
    a = full * torch.tril(torch.ones(6, 6))
    assert torch.allclose(a / a.sum(-1, keepdim=True), w, atol=1e-6)


def test_masked_heatmap_figure_hides_masked_cells():
    w = ch06.attention_weights(example_inputs(), causal=True)
    labels = list("abcdef")
    fig = ch06.masked_heatmap_figure(w, labels, labels, causal_mask(6).numpy(), focus_row=2)
    main = fig.data[0]
    assert main.z[0][1] is None and main.z[1][0] == pytest.approx(float(w[1, 0]), abs=0.01)
    assert main.text[0][1] == "" and main.text[5][5] == f"{float(w[5, 5]):.2f}"
    assert fig.data[1].text[0][5] == "–"
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].y0 == 1.5
    assert "NaN" not in fig.to_json()


def test_causal_explorable_has_one_slider_step_per_token():
    exp = ch06.causal_explorable()
    assert set(exp.payload) == set(ch06.SENTENCES)
    assert len(exp.payload["Oto fragment przykładowego wejścia"]) == 4
    assert "NaN" not in exp.to_html()


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9])
def test_ch07_dropout_scales_survivors(p):
    before = ch06.attention_weights(example_inputs(), causal=True)
    after = ch07.apply_dropout(before, p, seed=3)
    kept = after != 0
    assert torch.allclose(after[kept], before[kept] / (1 - p), atol=1e-6)
    info = ch07.dropout_summary(before, after, p)
    assert info["visible"] == 21
    assert info["dropped"] == int(((after == 0) & (before > 0)).sum())
    if p == 0.0:
        assert info["dropped"] == 0 and torch.equal(before, after)


def test_ch07_apply_dropout_is_reproducible_and_matches_nn_dropout():
    x = torch.ones(6, 6)
    torch.manual_seed(123)
    ref = torch.nn.Dropout(0.5)(x)
    assert torch.equal(ch07.apply_dropout(x, 0.5, 123), ref)
    assert torch.equal(ch07.apply_dropout(x, 0.5, 123), ch07.apply_dropout(x, 0.5, 123))


@pytest.mark.parametrize("kwargs,phrase", [
    ({"p": 1.0}, "[0, 1)"),
    ({"p": -0.2}, "[0, 1)"),
    ({"p": "pół"}, "liczbą"),
    ({"p": None}, "liczbą"),
    ({"ziarno": 1.5}, "Ziarno"),
])
def test_ch07_bad_parameters(kwargs, phrase):
    result = safe_render(ch07.render, zdanie="Ala ma kota", **kwargs)
    assert isinstance(result, ErrorMessage) and phrase in result.text


def test_ch07_explorable_variants():
    exp = ch07.dropout_explorable()
    assert len(exp.payload) == len(ch07.SEEDS) * (1 + len(ch07.SENTENCES))
    assert all(list(v) == [str(p) for p in ch07.P_VALUES] for v in exp.payload.values())
    assert "NaN" not in exp.to_html()


@pytest.mark.parametrize("heads,d_out,ok", [(1, 1, True), (4, 8, True), (3, 9, True), (8, 32, True),
                                            (4, 10, False), (3, 2, False), (8, 12, False)])
def test_ch08_divisibility(heads, d_out, ok):
    result = safe_render(ch08.render, zdanie="Polski język jest trudny", liczba_glow=heads, d_out=d_out)
    if ok:
        _check_ok(result)
    else:
        assert isinstance(result, ErrorMessage)
        assert "nie dzieli się" in result.text and "wybierz" in result.text


def test_ch08_hint_suggests_divisible_values():
    hint = ch08.divisibility_hint(10, 4)
    assert "d_out = 8" in hint and "d_out = 12" in hint
    assert "d_out = 3" in ch08.divisibility_hint(2, 3) and "d_out = 0" not in ch08.divisibility_hint(2, 3)


@pytest.mark.parametrize("kwargs", [{"liczba_glow": 0}, {"liczba_glow": 9}, {"d_out": 0}, {"liczba_glow": 2.0}, {"d_out": "8"}])
def test_ch08_bad_sliders(kwargs):
    result = safe_render(ch08.render, zdanie="Ala ma kota", **kwargs)
    assert isinstance(result, ErrorMessage) and "Nieoczekiwany" not in result.text


def test_ch08_plural():
    assert [plural_pl(n, "głowa", "głowy", "głów") for n in (1, 2, 4, 5, 12, 22, 25)] == [
        "1 głowa", "2 głowy", "4 głowy", "5 głów", "12 głów", "22 głowy", "25 głów"]


def test_ch08_head_weights_are_causal_distributions():
    w = ch08.head_weights(torch.rand(5, 8), num_heads=4, d_out=8)
    assert w.shape == (4, 5, 5)
    assert torch.allclose(w.sum(-1), torch.ones(4, 5), atol=1e-6)
    assert torch.all(w[:, causal_mask(5)] == 0)
    with pytest.raises(KursError):
        ch08.head_weights(torch.rand(5, 8), num_heads=3, d_out=8)


def test_ch08_shape_table_is_computed():
    rows = ch08.shape_table(batch=2, num_tokens=6, d_in=3, d_out=4, num_heads=2)
    shapes = [shape for _, _, shape in rows]
    assert shapes[0] == (2, 6, 3) and shapes[-1] == (2, 6, 4)
    assert (2, 6, 2, 2) in shapes and (2, 2, 6, 6) in shapes
    rows = ch08.shape_table(batch=1, num_tokens=5, d_in=7, d_out=12, num_heads=3)
    assert (1, 3, 5, 4) in [s for _, _, s in rows] and rows[-1][2] == (1, 5, 12)
    html = ch08.shape_table_html(rows)
    assert html.count("<tr>") == len(rows) + 1


def test_ch08_median_time_and_speed_figure():
    t = ch08.median_time(lambda: torch.ones(10).sum(), repeats=3)
    assert 0 < t < 1
    fig = ch08.speed_figure({"a": 0.01, "b": 0.02}, "test")
    assert isinstance(fig, Figure)
    plt.close(fig)
    with pytest.raises(KursError):
        ch08.median_time(lambda: None, repeats=0)


def test_ch08_explorable():
    exp = ch08.heads_explorable()
    assert set(exp.payload) == set(ch08.SENTENCES)
    assert all(len(v) == 4 for v in exp.payload.values())
    data = json.loads(json.dumps(exp.payload))
    assert data  # serializowalne


def test_widget_builders_return_working_boxes():
    for build in (ch06.causal_widget, ch07.dropout_widget, ch08.multihead_widget):
        box = build()
        assert box.controls and box.output is not None
        first = next(iter(box.controls.values()))
        first.value = ""          # pusty tekst: komunikat, bez wyjątku
        box.render_now()
        first.value = "Kot śpi"
        box.render_now()
    plt.close("all")
