"""Ćwiczenia rozdziału 5: rozwiązania z notatnika przechodzą, typowe błędy nie."""

import math

import torch

from llmkurs.attention import example_inputs, softmax
from llmkurs.exercises.ch05 import book_matrices, check_1, check_2, check_3, check_4

inputs = example_inputs()


def book(d_out=2):
    torch.manual_seed(123)
    return torch.rand(3, d_out), torch.rand(3, d_out), torch.rand(3, d_out)


def test_book_matrices_equal_global_seed_and_do_not_touch_global_rng():
    torch.manual_seed(5)
    before = torch.get_rng_state()
    mats = book_matrices()
    assert torch.equal(torch.get_rng_state(), before)
    for a, b in zip(mats, book()):
        assert torch.equal(a, b)


def test_not_done():
    assert not check_1(None, None).ok
    for check in (check_2, check_3, check_4):
        assert not check(None).ok


def test_ex1():
    wq, wk, wv = book(4)
    assert check_1(inputs @ wk, inputs @ wv).ok
    assert "W_query" in check_1(inputs @ wq, inputs @ wv).message
    assert "zamienione" in check_1(inputs @ wv, inputs @ wk).message
    wq2, wk2, wv2 = book(2)
    fb = check_1(inputs @ wk2, inputs @ wv2)
    assert not fb.ok and "d_out = 4" in fb.message


def test_ex2():
    wq, wk, _ = book()
    keys = inputs @ wk
    scores = (inputs[2] @ wq) @ keys.T
    assert check_2(softmax(scores / keys.shape[-1] ** 0.5)).ok
    assert "skalowaniu" in check_2(softmax(scores)).message
    assert "pierwiastek" in check_2(softmax(scores / 2)).message
    scores_2 = (inputs[1] @ wq) @ keys.T
    assert "x^(2)" in check_2(softmax(scores_2 / 2 ** 0.5)).message


def test_ex2_book_numbers_for_query_2():
    # Wagi x^(2) z książki, policzone tym samym wzorem: kontrola, że macierze są książkowe.
    wq, wk, _ = book()
    w = softmax((inputs[1] @ wq) @ (inputs @ wk).T / 2 ** 0.5)
    assert torch.allclose(w, torch.tensor([0.1500, 0.2264, 0.2199, 0.1311, 0.0906, 0.1820]), atol=1e-4)


def test_ex3():
    def self_attention(x, W_q, W_k, W_v):
        Q, K, V = x @ W_q, x @ W_k, x @ W_v
        return torch.softmax(Q @ K.T / K.shape[-1] ** 0.5, dim=-1) @ V

    assert check_3(self_attention).ok

    def unscaled(x, W_q, W_k, W_v):
        Q, K, V = x @ W_q, x @ W_k, x @ W_v
        return torch.softmax(Q @ K.T, dim=-1) @ V

    assert "√d_k" in check_3(unscaled).message

    def columns(x, W_q, W_k, W_v):
        Q, K, V = x @ W_q, x @ W_k, x @ W_v
        return torch.softmax(Q @ K.T / K.shape[-1] ** 0.5, dim=0) @ V

    assert "kolumnach" in check_3(columns).message

    def by_d_in(x, W_q, W_k, W_v):
        Q, K, V = x @ W_q, x @ W_k, x @ W_v
        return torch.softmax(Q @ K.T / x.shape[-1] ** 0.5, dim=-1) @ V

    assert not check_3(by_d_in).ok
    assert not check_3(42).ok


def test_ex4():
    from llmkurs.exercises.ch05 import check_4

    assert check_4(10).ok and check_4(10.2).ok
    fb = check_4(100)
    assert not fb.ok and "wariancja" in fb.message
    assert not check_4(8).ok                         # wartość d_k = 64 z tabeli nie pasuje
    assert not check_4(1).ok and not check_4("x").ok
    q = torch.randn(20000, 100, generator=torch.Generator().manual_seed(1))
    k = torch.randn(20000, 100, generator=torch.Generator().manual_seed(2))
    assert abs(float((q * k).sum(-1).std()) - 10) < 0.3      # niezależny pomiar


def test_ex5_designed_verb_head():
    from llmkurs.exercises.ch05 import check_5, verb_weights

    w3 = verb_weights(3.0)
    assert torch.allclose(w3.sum(-1), torch.ones(5))
    assert int(w3[0].argmax()) in (1, 4)                      # czasowniki wygrywają
    e = math.exp(3 / math.sqrt(3))
    assert abs(float(w3[0, 1] + w3[0, 4]) - 2 * e / (2 * e + 3)) < 1e-5   # policzone ręcznie
    assert check_5(True).ok and not check_5(False).ok        # siła 10: 2e^(10/√3)/(…) > 0,99
    assert check_5(False, scale=3.0).ok
    assert not check_5("tak").ok


def test_ex6_symmetric_scores():
    from llmkurs.exercises.ch05 import check_6

    torch.manual_seed(123)
    w_q, w_k = torch.rand(3, 2), torch.rand(3, 2)
    state = torch.random.get_rng_state()
    sym = (inputs @ w_q) @ (inputs @ w_q).T
    assert check_6(sym, True).ok
    assert torch.equal(state, torch.random.get_rng_state())
    assert not check_6(sym, False).ok
    assert not check_6((inputs @ w_q) @ (inputs @ w_k).T, False).ok
    assert not check_6(sym[:3], True).ok
