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
