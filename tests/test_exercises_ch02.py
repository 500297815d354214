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


def test_ex5_rank_prediction():
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    kot, pies = tok.encode(" kot")[0], tok.encode(" pies")[0]
    g = torch.Generator().manual_seed(5)
    E = torch.randn(tok.vocab_size, 8, generator=g)
    E_new = E.clone()
    E_new[pies] = E[kot] + 0.01 * E[pies]           # pies prawie tam, gdzie kot → miejsce 1
    # niezależne odniesienie: pętla po kandydatach
    def rank(T):
        c = torch.nn.functional.cosine_similarity(T, T[kot][None], dim=1)
        return 1 + sum(1 for i in range(T.shape[0]) if i != kot and c[i] > c[pies])
    assert ch02.neighbor_rank(E_new, kot, pies) == rank(E_new) == 1
    assert ch02.neighbor_rank(E, kot, pies) == rank(E)
    expected = "bliżej" if rank(E) > 1 else "tak samo"
    assert ch02.check_5(E_new, expected, E, tok).ok
    assert not ch02.check_5(E_new, "dalej", E, tok).ok
    assert ch02.check_5(E, "bliżej", E_new, tok).message.count("dalej") >= 1
    assert not ch02.check_5(E.clone(), "tak samo", E, tok).ok      # ta sama tabela: nic nie zmieniono
    assert not ch02.check_5(E_new, "wyżej", E, tok).ok
    assert not ch02.check_5(E_new[:10], "bliżej", E, tok).ok
    assert not ch02.check_5(None, "bliżej", E, tok).ok


def test_ex6_perpendicular():
    base = {"kot": (120, [1.2, 5.3]), "pies": (2417, [2.0, 4.4])}
    assert ch02.check_6({**base, "pies": (2417, [5.3, -1.2])}).ok
    assert ch02.check_6({**base, "pies": (2417, [-10.6, 2.4])}).ok
    assert not ch02.check_6(base).ok
    assert not ch02.check_6({**base, "pies": (2417, [0.0, 0.0])}).ok
    assert not ch02.check_6({"kot": (120, [1.0, 0.0]), "pies": (2417, [0.0, 1.0])}).ok
    assert not ch02.check_6([1, 2]).ok
