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
    assert check_1(inputs @ inputs[0]).ok
    assert check_1([0.9995, 0.9544, 0.9422, 0.4753, 0.4576, 0.6310]).ok  # policzone ręcznie, lista
    fb = check_1(inputs @ inputs[1])
    assert not fb.ok and "x^(2)" in fb.message
    fb = check_1(softmax(inputs @ inputs[0]))
    assert not fb.ok and "softmaksie" in fb.message
    assert "kształt" in check_1(inputs @ inputs.T).message
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
    assert check_3(softmax(inputs @ inputs[4]) @ inputs).ok
    assert "surowych" in check_3((inputs @ inputs[4]) @ inputs).message
    assert "z⁽²⁾" in check_3(softmax(inputs @ inputs[1]) @ inputs).message
    assert not check_3(inputs[4]).ok


def test_ex4():
    assert check_4(softmax(torch.tensor([2.0, 1.0, 0.1]) / 0.5)).ok
    assert "dzielimy" in check_4(softmax(torch.tensor([2.0, 1.0, 0.1]) * 0.5)).message
    assert "T = 1" in check_4(softmax(torch.tensor([2.0, 1.0, 0.1]))).message
    assert not check_4(torch.tensor([0.0, 0.0, float("nan")])).ok
