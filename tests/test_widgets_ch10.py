"""Widżet rozdziału 10 (wyłączanie głowy) i katalog głów: dziwne dane, zgodność z head_stats."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from llmkurs.model import head_stats, next_token_probs  # noqa: E402
from llmkurs.widgets.ch09 import mini_gpt  # noqa: E402
from llmkurs.widgets.ch10 import (  # noqa: E402
    KINDS,
    catalogue_figure,
    head_kind,
    head_switch_widget,
    kind_shares,
    render_head_switch,
    sentence_head_shares,
    zeroed_head,
)
from llmkurs.widgets.common import ErrorMessage, HtmlText, Note, safe_render  # noqa: E402


def _texts(out):
    return [o.text for o in out if isinstance(o, (HtmlText, Note))]


def test_default_render_has_stats_table_and_two_panels():
    out = render_head_switch()
    html = " ".join(_texts(out))
    assert "Warstwa 1, głowa 1" in html and "poprzedni token" in html
    figs = [o for o in out if isinstance(o, Figure)]
    assert len(figs) == 2                              # mapa wag + słupki
    assert len(figs[-1].axes) == 2                     # przed i po wyłączeniu
    off = render_head_switch(wylacz=False)
    assert len([o for o in off if isinstance(o, Figure)][-1].axes) == 1


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "kot", "a" * 100_000, "Zdanie\nz nową linią i\ttabulatorem."])
def test_strange_input_never_raises(text):
    out = safe_render(render_head_switch, zdanie=text, warstwa=1, glowa=1, wylacz=True)
    if not text.strip():
        assert isinstance(out, ErrorMessage) and "Wpisz zdanie" in out.text
    else:
        assert isinstance(out, list) and any(isinstance(o, Figure) for o in out)


def test_one_word_and_long_text_give_notes():
    notes = _texts(render_head_switch("kot"))
    model, tokenizer = mini_gpt()
    if len(tokenizer.encode("kot")) < 3:
        assert any("od trzeciego tokenu" in t for t in notes)
    long_notes = _texts(render_head_switch("a " * 50_000))
    assert any("pokazuję pierwsze" in t for t in long_notes)
    assert any(f"ostatnie {model.cfg.context_length}" in t for t in long_notes)


def test_layer_and_head_out_of_range_are_polish_sentences():
    model, _ = mini_gpt()
    for kwargs in ({"warstwa": 0}, {"warstwa": model.cfg.n_layers + 1}, {"glowa": 0},
                   {"glowa": model.cfg.n_heads + 1}, {"warstwa": 1.5}, {"glowa": True}):
        out = safe_render(render_head_switch, **{"zdanie": "Kot siedział na", **kwargs})
        assert isinstance(out, ErrorMessage), kwargs
        assert "od 1 do" in out.text and "\n" not in out.text
    assert isinstance(safe_render(render_head_switch, zdanie=123), ErrorMessage)


def test_zeroed_head_changes_output_only_inside_the_block_and_matches_head_stats():
    model, tokenizer = mini_gpt()
    ids = torch.tensor([tokenizer.encode("Książka leży na stole, a kot śpi na kanapie w kuchni.")])
    base = next_token_probs(model, ids)
    with zeroed_head(model, 0, 0):
        off = next_token_probs(model, ids)
    again = next_token_probs(model, ids)
    assert torch.equal(base, again)                    # haczyk zdjęty
    assert not torch.allclose(base, off)
    # niezależnie: wzrost straty z head_stats dla (0, 0) = różnica strat z naszym haczykiem
    stats = head_stats(model, ids[0])
    import torch.nn.functional as F
    with torch.no_grad():
        loss = F.cross_entropy(model(ids[:, :-1])[0], ids[0, 1:]).item()
        with zeroed_head(model, 0, 0):
            loss_off = F.cross_entropy(model(ids[:, :-1])[0], ids[0, 1:]).item()
    assert stats[0]["ablation"] == pytest.approx(loss_off - loss, abs=1e-5)


def test_sentence_shares_match_head_stats_on_one_window():
    model, tokenizer = mini_gpt()
    ids = tokenizer.encode("Anna poszła do sklepu, a Piotr został w domu i czytał książkę.")
    stats = head_stats(model, ids)
    model.set_keep_weights(True)
    with torch.no_grad():
        model(torch.tensor([ids[:-1]]))        # head_stats widzi wejście bez ostatniego tokenu
    weights = model.attention_weights()
    for s in stats[:3]:
        shares = sentence_head_shares(weights[s["layer"]][0, s["head"]])
        assert shares["previous"] == pytest.approx(s["previous"], abs=1e-6)
        assert shares["first"] == pytest.approx(s["first"], abs=1e-6)
        assert shares["self"] == pytest.approx(s["self"], abs=1e-6)
    assert sentence_head_shares(torch.ones(2, 2)) is None


def test_kind_is_the_largest_share_and_other_is_the_rest():
    s = {"previous": 0.7, "first": 0.1, "self": 0.05}
    assert kind_shares(s)["other"] == pytest.approx(0.15)
    assert head_kind(s) == "previous"
    assert head_kind({"previous": 0.1, "first": 0.1, "self": 0.1}) == "other"
    assert head_kind({"previous": 0.1, "first": 0.6, "self": 0.1}) == "first"
    # reszta („inne”) to suma po wielu tokenach: nie porównujemy jej wprost z udziałem jednego tokenu
    assert head_kind({"previous": 0.32, "first": 0.25, "self": 0.1}) == "previous"
    assert head_kind({"previous": 0.29, "first": 0.05, "self": 0.05}) == "other"
    assert head_kind({"previous": 0.29, "first": 0.05, "self": 0.05}, threshold=0.2) == "previous"
    assert set(KINDS) == {"previous", "first", "self", "other"}


def test_catalogue_figure_has_one_cell_per_head():
    stats = [{"layer": L, "head": h, "previous": 0.5 if h == 0 else 0.1, "first": 0.2, "self": 0.1, "ablation": 0.01 * h}
             for L in range(3) for h in range(4)]
    fig = catalogue_figure(stats)
    ax_kind = fig.axes[0]
    assert len(ax_kind.patches) >= 12
    labels = [t.get_text() for t in ax_kind.texts]
    assert sum("poprz." in t for t in labels) == 3 and all("," in t for t in labels)
    with pytest.raises(ValueError):
        catalogue_figure([])


def test_widget_builds():
    box = head_switch_widget()
    assert set(box.controls) == {"zdanie", "warstwa", "glowa", "wylacz"}
    box.controls["glowa"].value = 2
    box.controls["wylacz"].value = False
