"""Ćwiczenia rozdziału 10: rozwiązania z notatnika przechodzą, typowe błędy nie, losowość nietknięta."""

from __future__ import annotations

import pytest
import torch

from llmkurs.corpus import load_corpus, load_documents
from llmkurs.exercises.ch10 import check_1, check_2, check_3, check_4, demo_unigram_loss
from llmkurs.model import (
    GPTConfig,
    GPTModel,
    head_stats,
    load_grammar_probes,
    probe_scores,
    train_steps,
)
from llmkurs.ngram import Unigram
from llmkurs.widgets.ch09 import mini_gpt
from llmkurs.widgets.ch10 import heldout_slice


@pytest.fixture(scope="module")
def demo_history():
    """Rozwiązanie ćwiczenia 1: komórka 10.1 z steps=300 (mniejszy wycinek treningu, żeby test był szybki)."""
    _, tokenizer = mini_gpt()
    eot = tokenizer.special_tokens["<|endoftext|>"]
    train_ids = []
    for d in load_documents("train")[:6]:
        train_ids += [eot, *tokenizer.encode(d)]
    heldout_ids = tokenizer.encode(load_corpus("heldout"))
    torch.manual_seed(123)
    tiny = GPTModel(GPTConfig(vocab_size=tokenizer.n_vocab, context_length=32, emb_dim=32, n_heads=2, n_layers=1, drop_rate=0.0))
    tiny.set_keep_weights(False)
    return train_steps(tiny, train_ids, heldout_ids[:1024], steps=300, batch_size=4, lr=3e-3, eval_every=100, seed=123)


def test_demo_unigram_is_an_independent_unigram_loss():
    _, tokenizer = mini_gpt()
    counts = torch.zeros(tokenizer.n_vocab, dtype=torch.float64)
    for d in load_documents("train"):
        counts += torch.bincount(torch.tensor(tokenizer.encode(d)), minlength=tokenizer.n_vocab).double()
    held = torch.tensor(tokenizer.encode(load_corpus("heldout"))[:1024])
    # niezależnie: Unigram z llmkurs.ngram wygładza, więc porównujemy z nim, a surowe częstości tylko z grubsza
    uni = Unigram(tokenizer.n_vocab).fit([tokenizer.encode(d) for d in load_documents("train")])
    assert demo_unigram_loss() == pytest.approx(uni.sequence_nll(held[1:].tolist()) / 1023)
    raw = -(torch.log((counts[held[1:]] + 1) / (counts.sum() + tokenizer.n_vocab))).mean().item()
    assert demo_unigram_loss() == pytest.approx(raw, abs=0.05)


def test_ex1_solution_and_mistakes(demo_history):
    state = torch.get_rng_state()
    uni = demo_unigram_loss()
    truth = demo_history["heldout_loss"][-1] < uni
    fb = check_1(demo_history, truth)
    assert fb.ok and "się sprawdziło" in fb.message and "nie sprawdziło" not in fb.message
    fb = check_1(demo_history, not truth)
    assert fb.ok and "nie sprawdziło" in fb.message
    assert torch.equal(state, torch.get_rng_state())
    short = {k: v[:60] if k == "step" else v for k, v in demo_history.items()}
    assert not check_1(short, True).ok and "steps=60" in check_1(short, True).message
    assert not check_1(None, True).ok
    assert not check_1(demo_history, None).ok
    assert not check_1(demo_history, "tak").ok
    assert not check_1([1, 2, 3], True).ok
    assert not check_1(6.5, True).ok                  # liczba zamiast dziennika


def test_ex2_solution_and_mistakes():
    model, tokenizer = mini_gpt()
    own = {"context_a": "Wczoraj wieczorem Ewa", "form_a": " przyszła", "context_b": "Wczoraj wieczorem Marek", "form_b": " przyszedł"}
    score = probe_scores(model, tokenizer, [{"category": "x", **own}])[0]
    fb = check_2(own, score > 0)
    assert fb.ok and "Przewidywanie się sprawdziło" in fb.message
    assert f"{score:.3f}".replace(".", ",").replace("-", "−") in fb.message
    assert check_2(own, score <= 0).ok and "nie sprawdziło" in check_2(own, score <= 0).message
    shipped = load_grammar_probes()[0]
    assert not check_2(shipped, True).ok and "75" in check_2(shipped, True).message
    assert not check_2({**own, "form_b": own["form_a"]}, True).ok
    assert not check_2({**own, "form_a": "przyszła"}, True).ok         # bez spacji
    assert not check_2({**own, "context_a": ""}, True).ok
    assert not check_2({"context_a": "x"}, True).ok
    assert not check_2(own, None).ok
    assert not check_2("Ewa przyszła", True).ok


def _table():
    return {"jednostajny": {"nat_na_token": 8.3, "nat_na_znak": 2.5},
            "unigram tokenów": {"nat_na_token": 6.8, "nat_na_znak": 2.1},
            "Kneser–Ney, 2-gram tokenów": {"nat_na_token": 5.9, "nat_na_znak": 1.79},
            "Kneser–Ney, 5-gram znaków": {"nat_na_token": 5.5, "nat_na_znak": 1.68},
            "mały GPT": {"nat_na_token": 5.0, "nat_na_znak": 1.53}}


def test_ex3_solution_and_mistakes():
    table = _table()
    solution = 100 * (1.68 - 1.53) / 1.68            # lepszy n-gram = 5-gram znaków
    assert check_3(solution, table).ok
    assert not check_3(solution / 100, table).ok and "procent" in check_3(solution / 100, table).message
    assert not check_3(-solution, table).ok and "znak" in check_3(-solution, table).message
    per_token = 100 * (5.5 - 5.0) / 5.5
    assert not check_3(per_token, table).ok and "na token" in check_3(per_token, table).message
    other = 100 * (1.79 - 1.53) / 1.79
    assert not check_3(other, table).ok and "lepszym" in check_3(other, table).message
    assert not check_3(None, table).ok
    assert not check_3(solution, {"a": 1}).ok
    assert not check_3("8", table).ok
    worse = {**table, "mały GPT": {"nat_na_token": 6.0, "nat_na_znak": 1.80}}
    fb = check_3(100 * (1.68 - 1.80) / 1.68, worse)
    assert fb.ok and "więcej" in fb.message


def test_ex4_solution_and_mistakes():
    model, tokenizer = mini_gpt()
    n = 2 * model.cfg.context_length
    other = head_stats(model, heldout_slice(tokenizer, n, document=1))
    ref = head_stats(model, heldout_slice(tokenizer, n, document=0))
    same = max(other, key=lambda s: s["ablation"])["head"] == max(ref, key=lambda s: s["ablation"])["head"] and \
        max(other, key=lambda s: s["ablation"])["layer"] == max(ref, key=lambda s: s["ablation"])["layer"]
    fb = check_4(other, same, n)
    assert fb.ok and "Przewidywanie się sprawdziło" in fb.message
    assert check_4(other, not same, n).ok and "nie sprawdziło" in check_4(other, not same, n).message
    fb = check_4(ref, True, n)
    assert not fb.ok and "DOKUMENT" in fb.message
    assert not check_4(other[:-1], True, n).ok
    assert not check_4(None, True, n).ok
    assert not check_4(other, 1, n).ok
