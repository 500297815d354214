"""Ćwiczenia rozdziału 2: rozwiązania z notatnika przechodzą, typowe błędy – nie."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from llmkurs.embeddings import token_label
from llmkurs.exercises import ch02
from llmkurs.tokenizer import polish_tokenizer


def test_check_1_solution_and_mistakes():
    torch.manual_seed(123)
    tabela = torch.nn.Embedding(6, 3)
    solution = F.one_hot(torch.tensor(3), num_classes=6).float() @ tabela.weight
    assert ch02.check_1(solution).ok
    # wartości z książki, wpisane ręcznie
    assert ch02.check_1([-0.4015, 0.9666, -1.1481]).ok
    assert not ch02.check_1(None).ok
    wrong_row = F.one_hot(torch.tensor(2), num_classes=6).float() @ tabela.weight
    fb = ch02.check_1(wrong_row)
    assert not fb.ok and "wiersz nr 2" in fb.message
    assert not ch02.check_1(torch.ones(6)).ok
    assert not ch02.check_1("wektor").ok
    torch.manual_seed(0)
    assert not ch02.check_1(torch.nn.Embedding(6, 3).weight[3]).ok  # inne ziarno


def test_check_2_solution_and_mistakes():
    a, b = [1.2, 5.3], [4.9, -0.8]
    solution = (a[0] * b[0] + a[1] * b[1]) / (math.hypot(*a) * math.hypot(*b))
    # niezależnie: torch
    ref = F.cosine_similarity(torch.tensor([a]), torch.tensor([b])).item()
    assert solution == pytest.approx(ref, abs=1e-6)
    assert ch02.check_2(solution).ok
    assert ch02.check_2(torch.tensor(ref)).ok
    fb = ch02.check_2(a[0] * b[0] + a[1] * b[1])
    assert not fb.ok and "iloczyn skalarny" in fb.message
    assert not ch02.check_2(None).ok
    assert not ch02.check_2("0.5").ok or abs(0.5 - ref) < 1e-3
    assert not ch02.check_2([1, 2]).ok


@pytest.fixture(scope="module")
def tok():
    return polish_tokenizer()


def test_check_3_against_independent_topk(tok):
    gen = torch.Generator().manual_seed(1)
    E = torch.randn(tok.vocab_size, 8, generator=gen)
    candidates = list(range(0, tok.vocab_size, 3))
    (pies,) = tok.encode(" pies")
    normed = E / E.norm(dim=1, keepdim=True)
    sims = normed @ normed[pies]
    mask = torch.full_like(sims, -5.0)
    mask[candidates] = sims[candidates]
    mask[pies] = -5.0
    top2 = mask.topk(2).indices.tolist()
    assert ch02.check_3(top2, E, tok, candidates=candidates).ok
    assert ch02.check_3(top2[::-1], E, tok, candidates=candidates).ok
    labels = [token_label(tok, i) for i in top2]
    assert ch02.check_3(labels, E, tok, candidates=candidates).ok
    # bez ograniczenia do kandydatów wynik zwykle inny
    assert not ch02.check_3([top2[0], pies], E, tok, candidates=candidates).ok
    assert "samego siebie" in ch02.check_3([top2[0], pies], E, tok, candidates=candidates).message
    assert not ch02.check_3(top2[:1], E, tok, candidates=candidates).ok
    assert not ch02.check_3(None, E, tok).ok
    assert not ch02.check_3("Ġkot", E, tok).ok
    assert not ch02.check_3(["nie-ma-takiego-tokenu", "xyz"], E, tok).ok


def test_check_4_solution_and_mistakes():
    assert ch02.check_4(torch.nn.Embedding(50257, 768).weight.numel()).ok
    assert ch02.check_4(38_597_376).ok
    assert not ch02.check_4(50257 + 768).ok
    assert not ch02.check_4(50257 * 256).ok
    assert not ch02.check_4(None).ok
    assert not ch02.check_4("dużo").ok
