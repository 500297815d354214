"""Dalszy trening na pobranej książce (llmkurs.finetune): lokalny serwer HTTP, mały model, bez internetu."""

from __future__ import annotations

import copy
import socket
import sys

import pytest
import torch
from httpbooks import book_handler, serve

from llmkurs import finetune
from llmkurs.errors import KursError
from llmkurs.model import GPTConfig, GPTModel, text_loss
from llmkurs.tokenizer import polish_tokenizer

#: Mała „książka”: akapity, które się powtarzają, więc część odłożona jest do nauczenia.
BOOK = "\n\n".join(
    ["Ala ma kota, a kot ma Alę. Kot śpi na kanapie i mruczy cicho."] * 12
    + ["Pies biega po ogrodzie, a potem pije wodę z miski."] * 12
    + ["Ala ma kota, a kot ma Alę. Pies biega po ogrodzie."] * 4
)


_Handler = book_handler({"/ksiazki/mala-ksiazka.txt": BOOK.replace("\n", "\r\n").encode("utf-8")})


@pytest.fixture()
def server():
    with serve(_Handler) as url:
        yield url


@pytest.fixture(scope="module")
def tokenizer():
    return polish_tokenizer()


def tiny_model(tokenizer, context_length: int = 16):
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=tokenizer.n_vocab, context_length=context_length, emb_dim=32, n_heads=2,
                    n_layers=1, drop_rate=0.0)
    return GPTModel(cfg).eval()


def test_split_text_keeps_everything_and_cuts_at_a_paragraph():
    train, held = finetune.split_text(BOOK, 0.1)
    assert train and held
    assert len(held) < 0.2 * len(BOOK)
    # nic nie ginie poza białymi znakami na granicy
    assert (train + held).replace("\n", "") == BOOK.replace("\n", "")
    assert BOOK.startswith(train)
    assert held in {p for p in BOOK.split("\n\n")} or held.split("\n\n")[0] in BOOK.split("\n\n")


def test_continue_training_lowers_heldout_loss_and_matches_text_loss(tokenizer):
    model = tiny_model(tokenizer)
    original = copy.deepcopy(model.state_dict())
    _, held = finetune.split_text(BOOK, 0.1)
    held_ids = tokenizer.encode(held)
    reference_before = text_loss(model, held_ids)           # niezależna implementacja z llmkurs.model
    result = finetune.continue_training(model, tokenizer, BOOK, steps=60, batch_size=8, lr=3e-3, device="cpu")
    assert result["heldout_before"] == pytest.approx(reference_before, rel=1e-5)
    assert result["heldout_after"] == pytest.approx(text_loss(model, held_ids), rel=1e-5)
    assert result["heldout_after"] < result["heldout_before"] - 1.0   # powtarzalny tekst: strata wyraźnie spada
    assert result["steps"] == 60 and result["device"] == "cpu"
    assert result["heldout_tokens"] == len(held_ids)
    assert not model.training
    assert any(not torch.equal(original[k], v) for k, v in model.state_dict().items())


def test_continue_training_is_deterministic(tokenizer):
    a = finetune.continue_training(tiny_model(tokenizer), tokenizer, BOOK, steps=5, batch_size=4, device="cpu")
    b = finetune.continue_training(tiny_model(tokenizer), tokenizer, BOOK, steps=5, batch_size=4, device="cpu")
    assert a["heldout_after"] == b["heldout_after"]


def test_time_limit_stops_early(tokenizer):
    result = finetune.continue_training(tiny_model(tokenizer), tokenizer, BOOK, steps=10_000, batch_size=2,
                                        device="cpu", max_seconds=0.2)
    assert 0 <= result["steps"] < 10_000


@pytest.mark.parametrize("kwargs, match", [
    ({"text": ""}, "pusty"),
    ({"text": "Krótki tekst."}, "za krótki"),
    ({"steps": 0}, "kroków"),
    ({"steps": 2.5}, "kroków"),
    ({"lr": 0}, "lr"),
    ({"heldout_share": 0.9}, "heldout_share"),
    ({"device": "tpu"}, "cpu"),
    ({"text": 123}, "napisem"),
])
def test_bad_input_is_one_polish_sentence(tokenizer, kwargs, match):
    args = {"text": BOOK, "steps": 3, **kwargs}
    with pytest.raises((ValueError, TypeError), match=match) as info:
        finetune.continue_training(tiny_model(tokenizer), tokenizer, args.pop("text"), args.pop("steps"), **args)
    assert "\n" not in str(info.value)


def test_model_must_be_a_gpt(tokenizer):
    with pytest.raises(TypeError, match="GPTModel"):
        finetune.continue_training(torch.nn.Linear(2, 2), tokenizer, BOOK, 3)


def test_colab_demo_outside_colab_is_quick_and_offline(tokenizer, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError("poza Colabem nie wolno łączyć się z siecią")

    monkeypatch.setattr("llmkurs.corpus.download_book", no_network)
    note = finetune.colab_demo(tiny_model(tokenizer), tokenizer)
    assert note.startswith("Pomijam dalszy trening") and "Colab" in note


def test_colab_demo_downloads_and_trains_a_copy(tokenizer, server, tmp_path):
    _Handler.hits = 0
    model = tiny_model(tokenizer)
    before = copy.deepcopy(model.state_dict())
    lines = []
    note = finetune.colab_demo(model, tokenizer, "mala-ksiazka", steps=30, force=True, log=lines.append,
                               base_url=server, cache_dir=tmp_path)
    assert _Handler.hits == 1
    assert "Strata na odłożonej części książki" in note and "spadła" in note
    assert lines and lines[-1].startswith("krok 30/30")
    # kopia: model z rozdziału zostaje bez zmian
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_colab_demo_offline_is_a_note(tokenizer, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    note = finetune.colab_demo(tiny_model(tokenizer), tokenizer, "pan-tadeusz", force=True,
                               base_url=f"http://127.0.0.1:{port}/", cache_dir=tmp_path, timeout=2)
    assert note.startswith("Pomijam dalszy trening") and "połączyć" in note


def test_colab_demo_missing_book_is_a_note(tokenizer, server, tmp_path):
    note = finetune.colab_demo(tiny_model(tokenizer), tokenizer, "nie-ma-takiej", force=True,
                               base_url=server, cache_dir=tmp_path)
    assert note.startswith("Pomijam dalszy trening") and "Nie ma książki" in note


def test_errors_are_kurs_errors():
    with pytest.raises(KursError):
        finetune.split_text("   ")
