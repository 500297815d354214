"""Ćwiczenia rozdziału 9: rozwiązania z notatnika przechodzą, typowe błędy nie."""

from __future__ import annotations

import torch

from llmkurs.exercises.ch09 import check_1, check_2, check_3, check_4, check_5
from llmkurs.model import GPTConfig, GPTModel, TransformerBlock, count_parameters
from llmkurs.widgets.ch09 import mini_gpt


def test_ex1_solution_and_mistakes():
    d = 128
    solution = 3 * d * d + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * (2 * d)
    assert solution == 197_888
    # niezależne sprawdzenie: prawdziwy blok o emb_dim = 128
    block = TransformerBlock(GPTConfig(vocab_size=10, context_length=8, emb_dim=128, n_heads=4, n_layers=1))
    assert count_parameters(block) == solution
    assert check_1(solution).ok
    assert check_1(float(solution)).ok
    assert not check_1(None).ok
    assert not check_1("197888").ok
    assert not check_1(12 * d * d).ok                 # bez obciążeń i LayerNorm
    assert not check_1(solution - 4 * d).ok           # bez LayerNorm
    assert not check_1(solution + 3 * d).ok           # z bias w Wq, Wk, Wv
    assert "LayerNorm" in check_1(solution - 4 * d).message


def top_k_logits(logits, k):
    top_values, _ = torch.topk(logits, k, dim=-1)
    threshold = top_values[..., -1:]
    return torch.where(logits < threshold, torch.tensor(float("-inf")), logits)


def test_ex2_solution_and_mistakes():
    assert check_2(top_k_logits).ok
    assert not check_2(None).ok
    assert not check_2(lambda logits, k: None).ok
    assert not check_2(top_k_logits(torch.zeros(3), 1)).ok        # tensor zamiast funkcji
    # zera zamiast −∞
    assert not check_2(lambda logits, k: torch.where(logits < torch.topk(logits, k).values[..., -1:], 0.0, logits)).ok
    # zapomniany wymiar: bierze k największych z całego tensora
    assert not check_2(lambda logits, k: torch.where(logits < logits.flatten().topk(k).values[-1], float("-inf"), logits)).ok
    # od razu softmax zamiast logitów
    assert not check_2(lambda logits, k: torch.softmax(top_k_logits(logits, k), dim=-1)).ok
    # funkcja z błędem nie wywraca sprawdzenia
    assert not check_2(lambda logits, k: 1 / 0).ok


def test_ex3_solution_and_mistakes():
    model, _ = mini_gpt()
    cfg = model.cfg
    # rozwiązanie z notatnika: model z odwrotnym tie_weights, policzony naprawdę (nie na meta)
    flipped = GPTModel(GPTConfig(**{**cfg.to_dict(), "tie_weights": not cfg.tie_weights}))
    solution = count_parameters(flipped)
    current = count_parameters(model)
    assert abs(solution - current) == cfg.vocab_size * cfg.emb_dim      # niezależnie: różnica to V·d
    assert check_3(solution).ok
    assert check_3(float(solution)).ok
    assert not check_3(None).ok
    fb = check_3(current)
    assert not fb.ok and "bez zmiany" in fb.message
    assert not check_3(2 * current - solution).ok                        # zły kierunek
    assert "kierunek" in check_3(2 * current - solution).message
    assert not check_3(str(solution)).ok


def test_ex4_solution_and_mistakes_and_random_state_untouched():
    # rozwiązanie z notatnika: zmieniona komórka 9.8
    next_token_logits = torch.tensor([4.51, 0.89, -1.90, 6.75, 1.63, -1.62, -1.89, 6.28, 1.79])
    probas = torch.softmax(next_token_logits / 2, dim=0)
    torch.manual_seed(123)
    sample = [torch.multinomial(probas, num_samples=1).item() for _ in range(1000)]
    solution = sample.count(3)
    assert 300 < solution < 550                          # p ≈ 0,42
    torch.manual_seed(7)
    state = torch.get_rng_state()
    assert check_4(solution).ok
    assert check_4(torch.tensor(solution)).ok
    assert torch.equal(state, torch.get_rng_state())    # sprawdzenie nie rusza losowości studenta
    torch.manual_seed(123)
    at_t1 = [torch.multinomial(torch.softmax(next_token_logits, dim=0), 1).item() for _ in range(1000)].count(3)
    fb = check_4(at_t1)
    assert not fb.ok and "T = 1" in fb.message
    assert not check_4(None).ok
    assert not check_4(solution + 5).ok
    assert not check_4(1000).ok
    assert not check_4(0.42).ok


def layer_norm(x):
    mean = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + 1e-5)


def test_ex5_solution_and_mistakes():
    assert check_5(layer_norm).ok
    assert not check_5(None).ok
    assert not check_5(lambda x: None).ok
    unbiased = lambda x: (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True) + 1e-5)  # noqa: E731
    fb = check_5(unbiased)
    assert not fb.ok and "unbiased=False" in fb.message
    assert not check_5(lambda x: x - x.mean(-1, keepdim=True)).ok                 # bez dzielenia
    assert not check_5(lambda x: (x - x.mean()) / x.std()).ok                     # po całym tensorze
