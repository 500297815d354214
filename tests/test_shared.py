"""Wspólne narzędzia: rysunki, rysunki do odkrywania, widżety i ćwiczenia."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from llmkurs import explore, viz
from llmkurs.errors import KursError, require
from llmkurs.exercises.common import Feedback, feedback, not_done
from llmkurs.widgets.common import ErrorMessage, interactive, safe_render, shorten, text_box


def test_heatmap_labels_values_and_mask():
    m = torch.tensor([[0.1, 0.9], [0.5, 0.5]])
    ax = viz.heatmap(m, ["kot", "pies"], ["a", "b"], mask=[[False, True], [False, False]], title="T")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["kot", "pies"]
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["0,10", "–", "0,50", "0,50"])  # przecinek dziesiętny, jak w prozie
    assert ax.get_title() == "T"
    with pytest.raises(ValueError, match="2-D"):
        viz.heatmap(np.zeros((2, 2, 2)))


def test_tokens_html_escapes_and_marks_spaces():
    out = viz.tokens_html([" <b>", "kot"], [7, 8])
    assert "&lt;b&gt;" in out and "·" in out and "<sub" in out and ">7<" in out


def test_heatmap_figure_hover_and_rounding():
    fig = explore.heatmap_figure(np.array([[1 / 3, 2 / 3]]), ["x"], ["a", "b"], digits=2)
    trace = fig.data[0]
    assert [list(row) for row in trace.z] == [[0.33, 0.67]]
    assert list(trace.customdata[0][1]) == ["x", "b"]
    assert "%{z:.2f}" in trace.hovertemplate
    with pytest.raises(KursError):
        explore.heatmap_figure(np.zeros((2, 2)), ["a"], ["a", "b"])


def test_explorable_html_holds_every_variant_and_is_deterministic():
    figs = {f"zdanie {i}": explore.heatmap_figure(np.eye(2) * i, ["a", "b"], ["a", "b"]) for i in range(3)}
    e1 = explore.explorable(figs, title="Wagi", alt="Mapa wag")
    e2 = explore.explorable(figs, title="Wagi", alt="Mapa wag")
    html = e1.to_html()
    assert html == e2.to_html()
    assert html.count("<option") == 3 and 'aria-label="Mapa wag"' in html
    data = json.loads(re.search(r'<script type="application/json" class="llmkurs-data">(.*?)</script>', html).group(1))
    assert list(data) == ["zdanie 0", "zdanie 1", "zdanie 2"]
    assert data["zdanie 2"]["data"][0]["z"] == [[2.0, 0.0], [0.0, 2.0]]
    assert "3 warianty" in repr(e1)


def test_explorable_with_slider():
    nested = {"a": {1: explore.bar_figure([0.5, 0.5], ["x", "y"]), 2: explore.bar_figure([1, 0], ["x", "y"])}}
    html = explore.explorable(nested, title="T", alt="A", slider_label="p").to_html()
    assert 'type="range"' in html and 'max="1"' in html
    with pytest.raises(KursError):
        explore.explorable({}, title="T", alt="A")


def test_safe_render_turns_student_errors_into_polish_sentences():
    def render(zdanie):
        require(zdanie.strip() != "", "Wpisz jakieś zdanie.")
        return zdanie.upper()

    assert safe_render(render, zdanie="kot") == "KOT"
    msg = safe_render(render, zdanie="  ")
    assert isinstance(msg, ErrorMessage) and msg.text == "Wpisz jakieś zdanie."
    assert "⚠️" in msg._repr_html_()
    boom = safe_render(lambda: 1 / 0)
    assert isinstance(boom, ErrorMessage) and "ZeroDivisionError" in boom.text


def test_interactive_widget_survives_errors():
    seen = []

    def render(zdanie):
        seen.append(zdanie)
        require(zdanie, "Puste zdanie: wpisz coś.")
        return f"<b>{zdanie}</b>"

    box = interactive(render, zdanie=text_box("kot"))
    box.controls["zdanie"].value = ""
    box.controls["zdanie"].value = "pies"
    assert seen == ["kot", "", "pies"]


def test_shorten():
    text, note = shorten("a" * 10, limit=20)
    assert text == "a" * 10 and note is None
    text, note = shorten("ą" * 100_000, limit=2000)
    assert len(text) == 2000 and "100 000" in note.text
    with pytest.raises(TypeError):
        shorten(None)


def test_feedback():
    assert bool(feedback(True, "super", "nie")) and repr(feedback(True, "super", "nie")).startswith("✅")
    bad = feedback(False, "super", "spróbuj jeszcze")
    assert not bad and "spróbuj jeszcze" in repr(bad) and "❌" in bad._repr_html_()
    assert isinstance(not_done(), Feedback) and not not_done().ok
