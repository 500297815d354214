"""Widżety rozdziałów 2–3: funkcje ``render`` z dziwnymi danymi i widżety, które działają dalej."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.draw import Drawing  # noqa: E402
from llmkurs.embeddings import InputEmbedding, nearest_neighbors, sinusoidal_positions  # noqa: E402
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
    drawings = [o for o in out if isinstance(o, Drawing)]
    htmls = [o for o in out if isinstance(o, str)]
    assert len(drawings) == 2 and len(htmls) == 1
    assert not any(isinstance(o, Figure) for o in out)  # HTML/SVG, nie PNG matplotlib
    ids = tok.encode(text[:2000])
    # mapa ciepła: wiersz na każdy pokazany token (najwyżej MAX_TOKENS)
    shown = min(len(ids), ch02.MAX_TOKENS)
    vectors = torch.tensor(drawings[0].data["vectors"])
    assert vectors.shape == (shown, 6)
    assert drawings[0].text.count("<rect") == shown * 6
    if len(ids) > ch02.MAX_TOKENS:
        assert any(isinstance(o, Note) for o in out)


def test_ch02_heatmap_holds_the_table_rows(tok, table):
    out = ch02.render("Pies goni kota", 2, weights=table, tokenizer=tok)
    ids = tok.encode("Pies goni kota")
    assert torch.allclose(torch.tensor(out[-2].data["vectors"]), table[ids])
    # sąsiedzi na słupkach = nearest_neighbors z biblioteki (szybsze sortowanie, te same wyniki)
    for tid, found in out[-1].data["neighbors"]:
        nb, sims = nearest_neighbors(table, tid, k=2)
        assert [i for i, _ in found] == nb
        assert [s for _, s in found] == pytest.approx(sims, abs=1e-12)


@pytest.mark.parametrize("candidates", [None, list(range(0, 4096, 3))])
def test_ch02_fast_neighbors_equal_the_lib(tok, table, candidates):
    for tid in (0, 17, 300, 4095):
        fast = ch02.fast_neighbors(table, tid, 7, candidates)
        nb, sims = nearest_neighbors(table, tid, k=7, candidates=candidates)
        assert fast[0] == nb and fast[1] == pytest.approx(sims, abs=1e-12)
    ties = torch.ones(10, 3)  # same remisy: mniejsze ID pierwsze, jak w bibliotece
    assert ch02.fast_neighbors(ties, 4, 3)[0] == nearest_neighbors(ties, 4, k=3)[0] == [0, 1, 2]


def test_ch02_neighbor_bars_plotly(tok, table):
    fig = ch02.neighbor_bars(table, tok, "kot", k=4)
    kot = tok.encode("kot")[0]  # pierwszy token słowa, jak w neighbor_bars
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
    assert "rysunek HTML/SVG" in after and "Image object" not in after and "⚠️" not in after  # SVG, nie PNG


# --------------------------------------------------------------------------- rozdział 3


@pytest.mark.parametrize("dim,pos", [(2, 0), (16, 5), (128, 49)])
def test_ch03_sinusoid_render(dim, pos):
    drawing = ch03.render_sinusoid(dim, pos)
    assert isinstance(drawing, Drawing)
    pe = torch.tensor(drawing.data["pe"])
    assert torch.allclose(pe, sinusoidal_positions(ch03.SINUSOID_POSITIONS, dim))
    # mapa PE (50 × dim) i wektor pozycji (1 × dim) jako komórki SVG, plus ramka wybranej pozycji
    assert drawing.text.count('<rect x="') >= ch03.SINUSOID_POSITIONS * dim + dim
    assert 'stroke="#dc2626"' in drawing.text
    # panel iloczynów skalarnych: maksimum w odległości 0
    xs, ys = drawing.data["distances"], drawing.data["dots"]
    assert xs[max(range(len(ys)), key=ys.__getitem__)] == 0
    assert max(ys) == pytest.approx(dim / 2, rel=1e-5)


def test_ch03_sinusoid_figure_matplotlib():
    fig = ch03.render_sinusoid_figure(16, 5)
    image = fig.axes[0].images[0].get_array()
    assert torch.allclose(torch.tensor(image.data, dtype=torch.float32), sinusoidal_positions(ch03.SINUSOID_POSITIONS, 16))


@pytest.mark.parametrize("dim,pos", [(3, 0), (0, 0), (16, 50), (16, -1), (1000, 1)])
def test_ch03_sinusoid_bad_params(dim, pos):
    assert isinstance(safe_render(ch03.render_sinusoid, wymiar=dim, pozycja=pos), ErrorMessage)


@pytest.mark.parametrize("text", ODD_TEXTS)
@pytest.mark.parametrize("kind", ["uczone (learned)", "sinusoidalne", "learned", "sinusoidal"])
def test_ch03_sums_render_odd_texts(text, kind, tok):
    out = ch03.render_sums(text, kind, tokenizer=tok)
    drawing = [o for o in out if isinstance(o, Drawing)][0]
    n = min(len(tok.encode(text[:2000])), ch03.WIDGET_CONTEXT)
    tok_img, pos_img, sum_img = (torch.tensor(drawing.data[k]) for k in ("tok", "pos", "sum"))
    assert tok_img.shape == (n, 8)
    assert torch.allclose(sum_img, tok_img + pos_img, atol=1e-6)
    assert drawing.text.count("<svg") == 3 and drawing.text.count("<rect") == 3 * n * 8


def test_ch03_sums_match_input_embedding(tok):
    labels, t, p, s, _ = ch03.sums_data("kot kot kot", tok, "sinusoidal", dim=8, seed=123)
    assert torch.allclose(p, sinusoidal_positions(len(labels), 8))
    # „kot” na początku nie ma spacji, więc jest tokenizowany inaczej niż dwa następne „Ġkot”
    pieces = tok.tokens("kot kot kot")
    assert labels == [f"{i}: {piece}" for i, piece in enumerate(pieces)]
    assert pieces[-2:] == ["Ġkot", "Ġkot"] and pieces[0] != "Ġkot"
    assert torch.equal(t[-1], t[-2])  # ten sam token → ten sam wektor tokenu
    assert not torch.allclose(s[-1], s[-2])  # … ale inna suma
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
    assert "rysunek HTML/SVG" in after and "Image object" not in after and "⚠️" not in after  # SVG, nie PNG
    sin_box = ch03.sinusoid_widget()
    capsys.readouterr()
    sin_box.controls["wymiar"].value = 64
    sin_box.controls["pozycja"].value = 0
    after = capsys.readouterr().out
    assert "rysunek HTML/SVG" in after and "Image object" not in after and "⚠️" not in after  # SVG, nie PNG
