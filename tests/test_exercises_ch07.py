"""Ćwiczenia rozdziału 7: rozwiązania z notatnika przechodzą, typowe błędy – nie."""

from __future__ import annotations

import torch

from llmkurs.attention import CausalAttention
from llmkurs.exercises import ch07


def test_check_1_scale():
    # Niezależnie od funkcji sprawdzającej: tak naprawdę robi nn.Dropout(0.2).
    torch.manual_seed(0)
    out = torch.nn.Dropout(0.2)(torch.ones(1000))
    survivor = out[out != 0][0].item()
    assert ch07.check_1(survivor).ok
    assert ch07.check_1(1 / (1 - 0.2)).ok
    for wrong in (1.0, 0.8, 5.0, 2.0):
        assert not ch07.check_1(wrong).ok
    assert not ch07.check_1(None).ok
    assert not ch07.check_1("1.25").ok


def test_check_2_eval_mode():
    torch.manual_seed(789)
    ca = CausalAttention(3, 2, 6, 0.5)
    assert not ch07.check_2(ca).ok                 # tryb treningu
    ca.eval()
    assert ch07.check_2(ca).ok
    torch.manual_seed(789)
    ca_p0 = CausalAttention(3, 2, 6, 0.5)
    ca_p0.dropout.p = 0.0
    fb = ch07.check_2(ca_p0)
    assert not fb.ok and "eval" in fb.message
    assert not ch07.check_2(None).ok
    assert not ch07.check_2(ca(torch.rand(1, 3, 3))).ok   # wynik zamiast modułu


def test_check_3_own_dropout():
    def solution(x, p):
        keep = torch.rand_like(x) >= p
        return x * keep / (1 - p)

    def no_scale(x, p):
        return x * (torch.rand_like(x) >= p)

    def times_keep(x, p):
        return x * (torch.rand_like(x) >= p) * (1 - p)

    def inverted(x, p):
        return x * (torch.rand_like(x) < p) / (1 - p)

    def in_place(x, p):
        x.mul_((torch.rand_like(x) >= p).float() / (1 - p))
        return x

    def crashes(x, p):
        raise RuntimeError("ups")

    assert ch07.check_3(solution).ok
    assert ch07.check_3(lambda x, p: torch.nn.functional.dropout(x, p, training=True)).ok
    for wrong in (no_scale, times_keep, inverted, in_place, crashes, lambda x, p: x):
        assert not ch07.check_3(wrong).ok, wrong
    assert "1 − p" in ch07.check_3(no_scale).message
    assert not ch07.check_3(None).ok
    assert not ch07.check_3(3).ok
