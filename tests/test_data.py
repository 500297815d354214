"""Pary wejście→cel, ``GPTDataset`` i ``create_dataloader`` (rozdział 1) oraz widżety rozdziału 1.

Odniesienia: pary policzone ręcznie, pętla z ``create_dataloader_v1`` z książki
(``range(0, len(ids) - max_length, stride)``) i liczby z rozdziału 2 książki (GPT-2, tiktoken).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import torch

from llmkurs.data import GPTDataset, create_dataloader, sliding_window_pairs
from llmkurs.errors import KursError, KursTypeError
from llmkurs.tokenizer import BPETokenizer, polish_tokenizer
from llmkurs.widgets import ch01 as W
from llmkurs.widgets.common import ErrorMessage, Note, safe_render

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(REPO / ".cache" / "tiktoken"))
R50K = Path(os.environ["TIKTOKEN_CACHE_DIR"]) / hashlib.sha1(
    b"https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken").hexdigest()
needs_gpt2 = pytest.mark.skipif(not R50K.exists(), reason="brak pliku tiktoken GPT-2 (scripts/fetch_tiktoken_files.py)")

# Początek opowiadania „The Verdict” (E. Wharton, domena publiczna) z rozdziału 2 książki.
VERDICT = ("I HAD always thought Jack Gisburn rather a cheap genius--though a good fellow enough--so it "
           "was no great surprise to me to hear that, in the height of his glory, he had dropped his "
           "painting, married a rich widow, and established himself in a villa on the Riviera.")


def book_pairs(ids, max_length, stride):
    # pętla z GPTDatasetV1 (rozdział 2 książki)
    out = []
    for i in range(0, len(ids) - max_length, stride):
        out.append((ids[i : i + max_length], ids[i + 1 : i + max_length + 1]))
    return out


def test_pairs_by_hand():
    assert sliding_window_pairs([1, 2, 3, 4, 5], 2, 1) == [([1, 2], [2, 3]), ([2, 3], [3, 4]), ([3, 4], [4, 5])]
    assert sliding_window_pairs([1, 2, 3, 4, 5, 6, 7], 3, 3) == [([1, 2, 3], [2, 3, 4]), ([4, 5, 6], [5, 6, 7])]
    assert sliding_window_pairs([1, 2], 1, 5) == [([1], [2])]


@pytest.mark.parametrize("n, max_length, stride", [(10, 4, 1), (10, 4, 4), (11, 3, 2), (50, 7, 3), (9, 8, 1)])
def test_dataset_matches_book_loop(n, max_length, stride):
    ids = list(range(100, 100 + n))
    ds = GPTDataset(ids, max_length, stride)
    expected = book_pairs(ids, max_length, stride)
    assert len(ds) == len(expected)
    for k, (x, y) in enumerate(expected):
        inp, tgt = ds[k]
        assert inp.dtype == torch.long and inp.shape == (max_length,)
        assert inp.tolist() == x and tgt.tolist() == y
        assert torch.equal(inp[1:], tgt[:-1])


def test_dataset_accepts_tensor():
    ds = GPTDataset(torch.arange(6), 2, 2)
    assert [ds[k][1].tolist() for k in range(len(ds))] == [[1, 2], [3, 4]]


@pytest.mark.parametrize("args, exc, words", [
    (([1, 2, 3], 0, 1), KursError, "max_length"),
    (([1, 2, 3], 2, 0), KursError, "stride"),
    (([1, 2, 3], 2.5, 1), KursTypeError, "całkowitą"),
    (([1, 2, 3], 3, 1), KursError, "za krótki: ma 3 tokeny"),
    (([1], 1, 1), KursError, "1 token,"),
    (("ala ma kota", 2, 1), KursTypeError, "encode"),
    ((torch.zeros(2, 3), 2, 1), KursError, "jednowymiarowy"),
    ((["a", "b", "c"], 1, 1), KursTypeError, "całkowitymi"),
])
def test_dataset_errors_are_polish(args, exc, words):
    with pytest.raises(exc, match=words):
        GPTDataset(*args)


def test_dataloader_with_course_tokenizer():
    tok = polish_tokenizer()
    text = "Oto fragment przykładowego wejścia. " * 20 + "<|endoftext|>" + "Kot i pies. " * 10
    ids = tok.encode(text, allowed_special={"<|endoftext|>"})
    assert tok.special_tokens["<|endoftext|>"] in ids
    loader = create_dataloader(text, tok, batch_size=3, max_length=5, stride=2, shuffle=False)
    x, y = next(iter(loader))
    assert x.shape == y.shape == (3, 5)
    assert x[0].tolist() == ids[0:5] and y[0].tolist() == ids[1:6] and x[1].tolist() == ids[2:7]
    assert len(loader) == len(book_pairs(ids, 5, 2)) // 3  # drop_last


def test_dataloader_shuffle_is_seeded():
    tok = polish_tokenizer()
    text = "Oto fragment przykładowego wejścia. " * 30
    torch.manual_seed(123)
    a = next(iter(create_dataloader(text, tok, batch_size=4, max_length=4, stride=1)))[0]
    torch.manual_seed(123)
    b = next(iter(create_dataloader(text, tok, batch_size=4, max_length=4, stride=1)))[0]
    assert torch.equal(a, b)


@needs_gpt2
def test_dataloader_reproduces_book_numbers_with_tiktoken():
    import tiktoken

    enc = tiktoken.get_encoding("gpt2")
    loader = create_dataloader(VERDICT, enc, batch_size=1, max_length=4, stride=1, shuffle=False)
    it = iter(loader)
    first, second = next(it), next(it)
    # liczby z rozdziału 2 książki
    assert first[0].tolist() == [[40, 367, 2885, 1464]] and first[1].tolist() == [[367, 2885, 1464, 1807]]
    assert second[0].tolist() == [[367, 2885, 1464, 1807]]


def test_dataloader_errors_are_polish():
    tok = polish_tokenizer()
    with pytest.raises(KursTypeError, match="tekst"):
        create_dataloader(["ala"], tok)
    with pytest.raises(KursError, match="encode"):
        create_dataloader("ala", object())
    with pytest.raises(KursError, match="za krótki"):
        create_dataloader("Ala ma kota.", tok, max_length=256)
    with pytest.raises(KursError, match="batch_size"):
        create_dataloader("Ala ma kota. " * 20, tok, batch_size=0, max_length=4)
    with pytest.raises(KursError, match="zmniejsz batch_size"):
        create_dataloader("Ala ma kota. " * 3, tok, batch_size=50, max_length=4, stride=4)


# --------------------------------------------------------------------------- widżety rozdziału 1

WEIRD = ["", "   ", "kot", "🙂‍↔️👩‍👩‍👧‍👦", "a\u0301ł\n\tx", "Oto<|endoftext|>koniec", "Zażółć gęślą jaźń. " * 6000]


def _text(out) -> str:
    return "".join(x if isinstance(x, str) else repr(x) for x in out)


@pytest.mark.parametrize("text", WEIRD)
def test_tokenizer_widget_render_never_fails(text):
    out = safe_render(W.render_tokenizers, zdanie=text)
    assert not any(isinstance(x, ErrorMessage) and not isinstance(x, Note) for x in out), out
    if not text.strip():
        assert "Wpisz zdanie" in _text(out)
    if len(text) > 100_000:
        assert "pokazuję pierwsze" in _text(out) and "w kolorze pierwsze" in _text(out)


def test_tokenizer_widget_counts_and_special_token():
    tok = polish_tokenizer()
    out = W.render_tokenizers("Oto fragment przykładowego wejścia", {"kurs": tok, "GPT-2": None})
    assert f"kurs: {W.n_tokens(len(tok.encode('Oto fragment przykładowego wejścia')))}" in out[0]
    assert "GPT-2: słownika nie udało się wczytać" in repr(out[1])
    out = W.render_tokenizers("a<|endoftext|>b", {"kurs": tok})
    assert "&lt;|endoftext|&gt;" in out[0] and "kurs: 3 tokeny" in out[0]


@pytest.mark.parametrize("word", WEIRD)
@pytest.mark.parametrize("k", [0, 10, 3839])
def test_merges_widget_render_never_fails(word, k):
    out = safe_render(W.render_merges, slowo=word, liczba_scalen=k)
    assert not any(type(x) is ErrorMessage for x in out), out


def test_merges_widget_shows_fewer_pieces():
    tok = polish_tokenizer()
    first = W.render_merges("przykładowego", 0, tok)[0]
    last = W.render_merges("przykładowego", len(tok.merges), tok)[0]
    assert "<b>14 tokenów</b>" in first and "Jeszcze żadnych scaleń" in first
    assert f"<b>{W.n_tokens(len(tok.encode('przykładowego')))}</b>" in last


@pytest.mark.parametrize("max_length, stride, batch_size", [(1, 1, 1), (4, 4, 2), (16, 1, 8), (16, 16, 8)])
def test_batch_widget_render(max_length, stride, batch_size):
    out = W.render_batch(max_length, stride, batch_size)
    assert f"inputs.shape = ({batch_size}, {max_length})" in out[0]
    assert out[0].count("wejście</td>") == batch_size


def test_batch_widget_errors_and_long_text():
    err = safe_render(W.render_batch, max_length=16, stride=1, batch_size=8, text="Ala ma kota.")
    assert isinstance(err, ErrorMessage) and "za krótki" in err.text
    assert "Podaj tekst" in repr(W.render_batch(4, 4, 2, text=" "))
    out = W.render_batch(4, 4, 2, text="Ala ma kota. " * 20_000)
    assert "pokazuję pierwsze" in repr(out[-1])


def test_widgets_build():
    tok = polish_tokenizer()
    for box in [W.merges_widget(tok), W.tokenizer_widget(tokenizers={"kurs": tok}), W.dataloader_widget(tokenizer=tok)]:
        assert box.output is not None and box.controls


def test_explorable_and_figure():
    tok = polish_tokenizer()
    fig = W.tokens_figure({"kurs": ([1, 2], [b"ab", b"\xc5"])})
    assert list(fig.data[0].x) == [2, 1] and list(fig.data[0].base) == [0, 2]
    assert fig.data[0].text == ("ab", "⟨C5⟩")
    ex = W.merges_explorable(["Oto fragment przykładowego wejścia"], merge_steps=(0, None), tokenizer=tok, others={})
    html = ex.to_html()
    assert "liczba scaleń" in html and str(len(tok.merges)) in html
    with pytest.raises(KursError):
        W.merges_explorable([""], tokenizer=tok, others={})


def test_small_tokenizer_in_widgets():
    tok = BPETokenizer.train("ala ma kota " * 10, 270)
    out = W.render_merges("ala", 3, tok)
    assert "3." in out[0]
