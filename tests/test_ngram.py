"""Punkty odniesienia n-gramowe (llmkurs.ngram): wzór Knesera–Neya policzony ręcznie, normalizacja."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmkurs import ngram
from llmkurs.errors import KursError


def test_kneser_ney_bigram_by_hand():
    # dokument „abab”: bigramy (<s>,a)×1, (a,b)×2, (b,a)×1; słownik {a, b, c}
    kn = ngram.KneserNey(2, 3).fit([list("abab")])
    # za mało danych na wzór zniżek: D1 = 0,5, D2 = 0,75, D3+ = 0,9
    # poziom unigramów: liczby kontynuacji a: 2 (po <s> i b), b: 1 (po a); razem 3
    gamma0 = (0.5 * 1 + 0.75 * 1) / 3
    p0 = {"a": (2 - 0.75) / 3 + gamma0 / 3, "b": (1 - 0.5) / 3 + gamma0 / 3, "c": gamma0 / 3}
    assert sum(p0.values()) == pytest.approx(1.0)
    # P(b | a): c(a b) = 2, c(a) = 2, jedna kontynuacja z liczbą 2
    expected = (2 - 0.75) / 2 + (0.75 * 1 / 2) * p0["b"]
    assert kn.prob(["a"], "b") == pytest.approx(expected, abs=1e-12)
    # nieznany kontekst: czysty poziom niższy
    assert kn.prob(["c"], "a") == pytest.approx(p0["a"], abs=1e-12)
    assert kn.sequence_nll(list("ab")) == pytest.approx(-math.log(kn.prob([], "a")) - math.log(kn.prob(["a"], "b")))


def test_discounts_follow_chen_goodman():
    counts = {("x", str(i)): c for i, c in enumerate([1] * 40 + [2] * 20 + [3] * 10 + [4] * 5)}
    from collections import Counter

    d1, d2, d3 = ngram._discounts(Counter(counts))
    y = 40 / (40 + 2 * 20)
    assert d1 == pytest.approx(1 - 2 * y * 20 / 40)
    assert d2 == pytest.approx(2 - 3 * y * 10 / 20)
    assert d3 == pytest.approx(3 - 4 * y * 5 / 10)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(0, 10_000))
def test_every_context_gives_a_distribution(order, seed):
    rng = random.Random(seed)
    alphabet = list("abcde")
    docs = [[rng.choice(alphabet) for _ in range(rng.randint(1, 30))] for _ in range(3)]
    kn = ngram.KneserNey(order, len(alphabet) + 1).fit(docs)
    symbols = alphabet + ["?"]
    for _ in range(5):
        ctx = [rng.choice(alphabet) for _ in range(rng.randint(0, 5))]
        probs = [kn.prob(ctx, s) for s in symbols]
        assert all(p > 0 for p in probs)
        assert sum(probs) == pytest.approx(1.0, abs=1e-9)


def test_unigram_is_laplace():
    u = ngram.Unigram(4).fit([[0, 0, 1]])
    assert u.prob([], 0) == pytest.approx(3 / 7)
    assert u.prob([5], 3) == pytest.approx(1 / 7)


def test_char_model_beats_unigram_on_similar_text():
    train = ["ala ma kota a kot ma ale " * 20]
    held = ["ala ma kota"]
    cm, alphabet = ngram.char_model(train, 3)
    docs = ngram.char_documents(held, alphabet)
    uni = ngram.Unigram(len(alphabet) + 1).fit(ngram.char_documents(train))
    assert ngram.nats_per_char(cm, docs, 11) < ngram.nats_per_char(uni, docs, 11)
    # znak spoza treningu dostaje symbol nieznany, a nie błąd
    assert ngram.char_documents(["ż"], alphabet) == [[ngram.UNKNOWN_CHAR]]


def test_baselines_table(monkeypatch):
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    train = ["Kot siedział na płocie i patrzył na psa. " * 5, "Pies spał pod stołem. " * 5]
    held = ["Kot spał na płocie."]
    table = ngram.baselines(tok, train, held)
    n_tok = len(tok.encode(held[0]))
    assert table["jednostajny"]["nat_na_token"] == pytest.approx(math.log(tok.n_vocab))
    assert table["jednostajny"]["nat_na_znak"] == pytest.approx(math.log(tok.n_vocab) * n_tok / len(held[0]))
    assert table["Kneser–Ney, 2-gram tokenów"]["nat_na_token"] < table["unigram tokenów"]["nat_na_token"]


def test_bad_input_is_polish():
    with pytest.raises(KursError, match="Rząd"):
        ngram.KneserNey(0, 10)
    with pytest.raises(KursError, match="dokumentu"):
        ngram.KneserNey(2, 10).fit([])
    with pytest.raises(KursError, match="puste"):
        ngram.KneserNey(2, 10).fit([[]])
