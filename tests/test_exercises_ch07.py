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



def test_check_3_leaves_the_random_state_alone():
    def good(x, p):
        return x * (torch.rand_like(x) >= p) / (1 - p)

    torch.manual_seed(42)
    state = torch.random.get_rng_state()
    assert ch07.check_3(good).ok
    assert torch.equal(state, torch.random.get_rng_state())


def test_check_3_rejects_a_dropout_that_is_not_random():
    def every_fifth(x, p):          # dokładnie 20% zer i właściwe wartości, ale zawsze te same miejsca
        flat = x.reshape(-1).clone()
        if p > 0:
            keep = (torch.arange(flat.numel()) % round(1 / p)) != 0
            flat = flat * keep / (1 - p)
        return flat.reshape(x.shape)

    def seeded(x, p):               # losuje, ale zawsze z tym samym ziarnem
        g = torch.Generator().manual_seed(0)
        return x * (torch.rand(x.shape, generator=g) >= p) / (1 - p)

    def blocks(x, p):               # losowe, ale całe pary naraz
        flat = x.reshape(-1)
        keep = (torch.rand((flat.numel() + 1) // 2) >= p).repeat_interleave(2)[: flat.numel()]
        return (flat * keep / (1 - p)).reshape(x.shape)

    for wrong in (every_fifth, seeded, blocks):
        fb = ch07.check_3(wrong)
        assert not fb.ok, wrong.__name__


def test_check_4_high_p():
    d = torch.nn.Dropout(0.9)
    torch.manual_seed(0)
    frac = float((d(torch.ones(100_000)) == 0).float().mean())
    assert abs(frac - 0.9) < 0.01                         # niezależny pomiar
    assert ch07.check_4(0.9).ok and ch07.check_4(frac).ok
    assert not ch07.check_4(0.1).ok and not ch07.check_4(90).ok and not ch07.check_4(None).ok


def test_check_5_fully_dropped_row():
    assert ch07.check_5(0.3 ** 3).ok and ch07.check_5(0.027).ok
    assert ch07.check_5(0.125, p=0.5, widoczne=3).ok
    for wrong in (0.3, 0.9, 0.343, None, "x"):
        assert not ch07.check_5(wrong).ok
    g = torch.Generator().manual_seed(0)                   # niezależnie: symulacja
    rows = (torch.rand(200_000, 3, generator=g) < 0.3).all(dim=1).float().mean()
    assert abs(float(rows) - 0.027) < 0.002
