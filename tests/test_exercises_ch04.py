"""Ćwiczenia rozdziału 4: rozwiązania z notatnika przechodzą, typowe błędy nie."""

import torch

from llmkurs.attention import example_inputs, softmax
from llmkurs.exercises.ch04 import check_1, check_2, check_3, check_4

inputs = example_inputs()


def test_not_done_is_not_ok():
    for check in (check_1, check_2, check_3, check_4):
        fb = check(None)
        assert not fb.ok and "uzupełnij" in fb.message


def test_ex1():
    from llmkurs.exercises.ch04 import extended_inputs

    x7 = extended_inputs()
    assert x7.shape == (7, 3) and torch.equal(x7[:6], inputs)
    assert check_1(x7 @ x7[6]).ok
    by_hand = [0.43 * 0.5 + 0.15 * 0.1 + 0.89 * 0.9, 0.55 * 0.5 + 0.87 * 0.1 + 0.66 * 0.9]
    ref = (x7 @ x7[6]).tolist()
    assert abs(ref[0] - by_hand[0]) < 1e-5 and abs(ref[1] - by_hand[1]) < 1e-5    # policzone ręcznie
    fb = check_1(x7 @ x7[0])
    assert not fb.ok and "x^(1)" in fb.message
    fb = check_1(softmax(x7 @ x7[6]))
    assert not fb.ok and "softmaksie" in fb.message
    assert "kształt" in check_1(inputs @ inputs[0]).message
    assert not check_1("abc").ok


def test_ex2():
    def moj_softmax(x):
        e = torch.exp(x - x.max(dim=-1, keepdim=True).values)
        return e / e.sum(dim=-1, keepdim=True)

    assert check_2(moj_softmax).ok

    def naive(x):
        return torch.exp(x) / torch.exp(x).sum(dim=-1, keepdim=True)

    fb = check_2(naive)
    assert not fb.ok and "odejmij maksimum" in fb.message

    def whole_sum(x):  # suma po całym tensorze zamiast w wierszu
        e = torch.exp(x - x.max())
        return e / e.sum()

    assert not check_2(whole_sum).ok

    def broken(x):
        raise RuntimeError("x")

    assert "błąd" in check_2(broken).message
    assert not check_2(3.0).ok


def test_ex3():
    from llmkurs.exercises.ch04 import extended_inputs

    x7 = extended_inputs()
    assert check_3(softmax(x7 @ x7[6]) @ x7).ok
    assert "surowych" in check_3((x7 @ x7[6]) @ x7).message
    assert "brakuje" in check_3(softmax(inputs @ x7[6]) @ inputs).message
    assert not check_3(x7[6]).ok


def test_ex4():
    assert check_4(softmax(torch.tensor([2.0, 1.0, 0.1]) / 0.5)).ok
    assert "dzielimy" in check_4(softmax(torch.tensor([2.0, 1.0, 0.1]) * 0.5)).message
    assert "T = 1" in check_4(softmax(torch.tensor([2.0, 1.0, 0.1]))).message
    assert not check_4(torch.tensor([0.0, 0.0, float("nan")])).ok


def test_ex5_permutation_equivariance():
    from llmkurs.attention import naive_attention
    from llmkurs.exercises.ch04 import PERM, check_5

    z = naive_attention(inputs)[0]
    zp = naive_attention(inputs[PERM])[0]
    assert torch.allclose(zp, z[PERM], atol=1e-6)             # niezależnie: funkcja biblioteki
    assert check_5(zp, True).ok
    assert not check_5(zp, False).ok
    assert not check_5(z, True).ok                            # komórka niezmieniona
    assert not check_5(zp, "tak").ok and not check_5(None, True).ok


def test_ex6_positions_break_it():
    from llmkurs.attention import naive_attention
    from llmkurs.exercises.ch04 import PERM, check_6, exercise_positions

    pos = exercise_positions()
    good = naive_attention(inputs[PERM] + pos)[0]
    assert not torch.allclose(good, naive_attention(inputs + pos)[0][PERM], atol=1e-3)
    assert check_6(good, False).ok
    assert not check_6(good, True).ok
    fb = check_6(naive_attention(inputs[PERM] + pos[PERM])[0], False)
    assert not fb.ok and "pozycje" in fb.message
    assert not check_6(naive_attention(inputs[PERM])[0], False).ok
