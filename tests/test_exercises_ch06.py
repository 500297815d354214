"""Ćwiczenia rozdziału 6: rozwiązania z notatnika przechodzą, typowe błędy – nie."""

from __future__ import annotations

import torch

from llmkurs.exercises import ch06


def test_check_1_mask():
    assert ch06.check_1(torch.triu(torch.ones(4, 4), diagonal=1).bool()).ok
    assert ch06.check_1(torch.triu(torch.ones(4, 4), diagonal=1)).ok          # 0/1 też
    assert ch06.check_1([[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]).ok
    fb = ch06.check_1(torch.tril(torch.ones(4, 4)))
    assert not fb.ok and "tril" in fb.message
    fb = ch06.check_1(torch.triu(torch.ones(4, 4)))
    assert not fb.ok and "przekątn" in fb.message
    assert not ch06.check_1(torch.triu(torch.ones(5, 5), diagonal=1)).ok
    assert not ch06.check_1(None).ok
    assert not ch06.check_1("maska").ok


def test_check_2_weights():
    wyniki = ch06.exercise_scores()
    maska = torch.triu(torch.ones(5, 5), diagonal=1).bool()
    solution = torch.softmax(wyniki.masked_fill(maska, -torch.inf), dim=-1)
    assert ch06.check_2(solution).ok
    # Niezależnie: sposób A (zero po softmaksie + ponowna normalizacja) daje to samo.
    a = torch.softmax(wyniki, dim=-1) * torch.tril(torch.ones(5, 5))
    assert ch06.check_2(a / a.sum(dim=-1, keepdim=True)).ok
    # Typowe błędy.
    fb = ch06.check_2(torch.softmax(wyniki, dim=-1) * torch.tril(torch.ones(5, 5)))
    assert not fb.ok and "normaliz" in fb.message
    fb = ch06.check_2(torch.softmax(wyniki.masked_fill(maska, 0.0), dim=-1))
    assert not fb.ok and "−∞" in fb.message
    fb = ch06.check_2(torch.softmax(wyniki.masked_fill(maska, -torch.inf), dim=0))
    assert not fb.ok and "dim" in fb.message
    assert not ch06.check_2(torch.softmax(wyniki, dim=-1)).ok
    assert not ch06.check_2(torch.zeros(4, 4)).ok
    assert not ch06.check_2(None).ok


def test_exercise_scores_are_fixed():
    assert torch.equal(ch06.exercise_scores(), ch06.exercise_scores())
    assert ch06.exercise_scores().shape == (5, 5)


def test_check_3_count():
    assert ch06.check_3(10 * 11 // 2).ok
    assert ch06.check_3(55.0).ok
    assert not ch06.check_3(45).ok
    assert not ch06.check_3(100).ok
    assert not ch06.check_3(True).ok
    assert not ch06.check_3("55").ok
    assert not ch06.check_3(None).ok


def test_check_4_renormalised_row():
    assert ch06.check_4([0.2 / 0.5, 0.3 / 0.5, 0.0, 0.0]).ok
    assert ch06.check_4(torch.tensor([0.4, 0.6, 0.0, 0.0])).ok
    fb = ch06.check_4([0.2, 0.3, 0.0, 0.0])
    assert not fb.ok and "0,5" in fb.message
    assert not ch06.check_4([1.0, 0.0, 0.0, 0.0]).ok
    assert not ch06.check_4([0.4, 0.6]).ok
    assert not ch06.check_4(None).ok



def test_check_5_leak_rows():
    assert ch06.check_5(2).ok
    assert ch06.check_5(4, pozycja=4).ok
    fb = ch06.check_5(3)
    assert not fb.ok and "samego siebie" in fb.message
    assert not ch06.check_5(0).ok and not ch06.check_5(True).ok and not ch06.check_5(None).ok


def test_check_5_matches_the_mechanism():
    from llmkurs.attention import CausalAttention

    torch.manual_seed(0)
    ca = CausalAttention(d_in=4, d_out=4, context_length=6, dropout=0.0)
    x = torch.rand(1, 6, 4)
    y = x.clone()
    y[0, 2] += 1.0                                   # zmiana tokenu na pozycji 2
    same = (ca(x)[0] - ca(y)[0]).abs().max(dim=-1).values < 1e-7
    assert same.tolist() == [True, True, False, False, False, False]
    assert ch06.check_5(int(same.sum())).ok


def test_check_6_first_row():
    ref = torch.softmax(torch.tensor([2.0, -torch.inf, -torch.inf]), dim=-1)
    assert ch06.check_6(ref).ok and ch06.check_6([1, 0, 0]).ok
    fb = ch06.check_6([0.7311, 0.2689, 0.0])
    assert not fb.ok and "drugiego" in fb.message
    assert not ch06.check_6([0.245, 0.09, 0.665]).ok and not ch06.check_6(None).ok
