"""Widżety rozdziałów 2–3: funkcje ``render`` z dziwnymi danymi i widżety, które działają dalej."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.embeddings import InputEmbedding, sinusoidal_positions  # noqa: E402
from llmkurs.tokenizer import polish_tokenizer  # noqa: E402
from llmkurs.widgets import ch02, ch03  # noqa: E402
from llmkurs.widgets.common import ErrorMessage, Note, safe_render  # noqa: E402

ODD_TEXTS = ["kot", "Pies goni kota", "🐈‍⬛ kot 🐕", "Zażółć gęślą jaźń", "a" * 100_000, "\u0301\u200b", "1 2 3 ... !!!"]


@pytest.fixture(scope="module")
def tok():
    return polish_tokenizer()


@pytest.fixture(scope="module")
def table(tok):
    gen = torch.Generator().manual_seed(0)
    return torch.randn(tok.vocab_size, 6, generator=gen)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- rozdział 2


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_ch02_render_odd_texts(text, tok, table):
    out = ch02.render(text, 3, weights=table, tokenizer=tok)
    figures = [o for o in out if isinstance(o, Figure)]
    htmls = [o for o in out if isinstance(o, str)]
    assert len(figures) == 2 and len(htmls) == 1
    ids = tok.encode(text[:2000])
    # mapa ciepła: wiersz na każdy pokazany token (najwyżej MAX_TOKENS)
    shown = min(len(ids), ch02.MAX_TOKENS)
    assert figures[0].axes[0].images[0].get_array().shape == (shown, 6)
    if len(ids) > ch02.MAX_TOKENS:
        assert any(isinstance(o, Note) for o in out)


def test_ch02_heatmap_holds_the_table_rows(tok, table):
    out = ch02.render("Pies goni kota", 2, weights=table, tokenizer=tok)
    ids = tok.encode("Pies goni kota")
    shown = out[-2].axes[0].images[0].get_array()
    assert torch.allclose(torch.tensor(shown.data, dtype=torch.float32), table[ids])


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_ch02_empty_text_gives_polish_hint(text, tok, table):
    msg = safe_render(ch02.render, zdanie=text, sasiedzi=3, weights=table, tokenizer=tok)
    assert isinstance(msg, ErrorMessage)
    assert "Wpisz" in msg.text


def test_ch02_bad_inputs(tok, table):
    assert isinstance(safe_render(ch02.render, zdanie=None, sasiedzi=3, weights=table, tokenizer=tok), ErrorMessage)
    assert isinstance(safe_render(ch02.render, zdanie="kot", sasiedzi=0, weights=table, tokenizer=tok), ErrorMessage)
    small = torch.randn(10, 4)
    msg = safe_render(ch02.render, zdanie="kot", sasiedzi=3, weights=small, tokenizer=tok)
    assert isinstance(msg, ErrorMessage) and "4096" in msg.text
    # pojedynczy surogat: tokenizer zgłasza polski błąd, widżet go pokazuje
    msg = safe_render(ch02.render, zdanie="kot \ud800", sasiedzi=3, weights=table, tokenizer=tok)
    assert isinstance(msg, ErrorMessage) and "surogat" in msg.text


def test_ch02_neighbor_bars_values(tok, table):
    from llmkurs.embeddings import nearest_neighbors

    fig = ch02.neighbor_bars(table, tok, " kot", k=4)
    (kot,) = tok.encode(" kot")
    ids, sims = nearest_neighbors(table, kot, k=4)
    assert fig.data[0].y == tuple(round(s, 3) for s in sims)
    assert len(fig.data[0].x) == 4


def test_ch02_widget_survives_bad_input(tok, table, capsys):
    # Poza jądrem Jupytera wynik widżetu trafia na standardowe wyjście – tam go sprawdzamy.
    box = ch02.embedding_widget(table, tok, zdanie="kot")
    capsys.readouterr()
    box.controls["zdanie"].value = ""
    assert "⚠️ Wpisz" in capsys.readouterr().out
    box.controls["zdanie"].value = "Pies goni kota"
    box.controls["sasiedzi"].value = 7
    after = capsys.readouterr().out
    assert "Image object" in after and "⚠️" not in after  # rysunek trafia do widżetu jako PNG


# --------------------------------------------------------------------------- rozdział 3


@pytest.mark.parametrize("dim,pos", [(2, 0), (16, 5), (128, 49)])
def test_ch03_sinusoid_render(dim, pos):
    fig = ch03.render_sinusoid(dim, pos)
    image = fig.axes[0].images[0].get_array()
    assert torch.allclose(torch.tensor(image.data, dtype=torch.float32), sinusoidal_positions(ch03.SINUSOID_POSITIONS, dim))
    # panel iloczynów skalarnych: maksimum w odległości 0
    line = fig.axes[-1].lines[0]
    xs, ys = line.get_xdata(), line.get_ydata()
    assert xs[ys.argmax()] == 0
    assert ys.max() == pytest.approx(dim / 2, rel=1e-5)


@pytest.mark.parametrize("dim,pos", [(3, 0), (0, 0), (16, 50), (16, -1), (1000, 1)])
def test_ch03_sinusoid_bad_params(dim, pos):
    assert isinstance(safe_render(ch03.render_sinusoid, wymiar=dim, pozycja=pos), ErrorMessage)


@pytest.mark.parametrize("text", ODD_TEXTS)
@pytest.mark.parametrize("kind", ["uczone (learned)", "sinusoidalne", "learned", "sinusoidal"])
def test_ch03_sums_render_odd_texts(text, kind, tok):
    out = ch03.render_sums(text, kind, tokenizer=tok)
    fig = [o for o in out if isinstance(o, Figure)][0]
    n = min(len(tok.encode(text[:2000])), ch03.WIDGET_CONTEXT)
    tok_img, pos_img, sum_img = (ax.images[0].get_array().data for ax in fig.axes[:3])
    assert tok_img.shape == (n, 8)
    assert torch.allclose(torch.tensor(sum_img), torch.tensor(tok_img) + torch.tensor(pos_img), atol=1e-6)


def test_ch03_sums_match_input_embedding(tok):
    labels, t, p, s, _ = ch03.sums_data("kot kot kot", tok, "sinusoidal", dim=8, seed=123)
    assert torch.allclose(p, sinusoidal_positions(len(labels), 8))
    # „kot” na początku nie ma spacji, więc to inny token niż dwa następne „Ġkot”
    assert labels == ["0: kot", "1: Ġkot", "2: Ġkot"]
    assert torch.equal(t[1], t[2])  # ten sam token → ten sam wektor tokenu
    assert not torch.allclose(s[1], s[2])  # … ale inna suma
    torch.manual_seed(123)
    layer = InputEmbedding(tok.vocab_size, 8, ch03.WIDGET_CONTEXT)
    _, t2, p2, _, _ = ch03.sums_data("kot kot kot", tok, "learned", dim=8, seed=123)
    ids = torch.tensor(tok.encode("kot kot kot"))
    assert torch.allclose(t2, layer.tok_emb.weight[ids])
    assert torch.allclose(p2, layer.pos_emb.weight[: len(ids)])


def test_ch03_long_text_is_cut_with_note(tok):
    out = ch03.render_sums("kot " * 100, "learned", tokenizer=tok)
    assert any(isinstance(o, Note) and str(ch03.WIDGET_CONTEXT) in o.text for o in out)


@pytest.mark.parametrize("text", ["", "   "])
def test_ch03_empty_text(text, tok):
    msg = safe_render(ch03.render_sums, zdanie=text, pozycje="learned", tokenizer=tok)
    assert isinstance(msg, ErrorMessage) and "Wpisz" in msg.text


def test_ch03_sums_figure_plotly(tok):
    fig = ch03.sums_figure("Oto fragment przykładowego wejścia", tok, "sinusoidal")
    assert len(fig.data) == 3
    pos = torch.tensor(fig.data[1].z)
    n = len(tok.encode("Oto fragment przykładowego wejścia"))
    assert torch.allclose(pos.float(), sinusoidal_positions(n, 8), atol=0.006)


def test_ch03_widgets_survive_bad_input(tok, capsys):
    box = ch03.sums_widget(tok)
    capsys.readouterr()
    box.controls["zdanie"].value = ""
    assert "⚠️ Wpisz" in capsys.readouterr().out
    box.controls["zdanie"].value = "Oto fragment przykładowego wejścia"
    box.controls["pozycje"].value = "sinusoidalne"
    after = capsys.readouterr().out
    assert "Image object" in after and "⚠️" not in after  # rysunek trafia do widżetu jako PNG
    sin_box = ch03.sinusoid_widget()
    capsys.readouterr()
    sin_box.controls["wymiar"].value = 64
    sin_box.controls["pozycja"].value = 0
    after = capsys.readouterr().out
    assert "Image object" in after and "⚠️" not in after  # rysunek trafia do widżetu jako PNG
