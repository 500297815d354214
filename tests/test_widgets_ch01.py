"""Widżety rozdziału 1 w jądrze: pole na własny tekst w parach wejście→cel, rysunki HTML."""

from __future__ import annotations

from llmkurs.data import create_dataloader
from llmkurs.tokenizer import polish_tokenizer
from llmkurs.widgets import ch01


def test_dataloader_widget_takes_the_students_text(capsys):
    box = ch01.dataloader_widget()
    assert "tekst" in box.controls and box.controls["tekst"].value == ch01.default_batch_text()
    capsys.readouterr()
    text = "Ala ma kota, a kot ma Alę. Kot śpi na piecu i mruczy cicho przez cały wieczór."
    box.controls["tekst"].value = text
    out = capsys.readouterr().out
    assert "⚠️" not in out and "HTML object" in out
    # to, co pokazuje widżet, to pierwsza paczka create_dataloader dla tego tekstu
    html = ch01.render_batch(4, 4, 2, text)[0]
    tok = polish_tokenizer()
    inputs, targets = next(iter(create_dataloader(text, tok, batch_size=2, max_length=4, stride=4, shuffle=False)))
    for i in inputs[0].tolist() + targets[1].tolist():
        assert f">{i}</sub>" in html


def test_dataloader_widget_short_or_empty_text_gives_polish_hint(capsys):
    box = ch01.dataloader_widget()
    capsys.readouterr()
    box.controls["tekst"].value = "Ala"
    assert "⚠️" in capsys.readouterr().out  # za mało okien: jedno polskie zdanie, co zmienić
    box.controls["tekst"].value = "   "
    assert "Podaj tekst" in capsys.readouterr().out
    box.controls["tekst"].value = "Ala ma kota. " * 50
    assert "⚠️" not in capsys.readouterr().out
