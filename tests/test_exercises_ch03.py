"""Ćwiczenia rozdziału 3: rozwiązania z notatnika przechodzą, typowe błędy – nie."""

from __future__ import annotations

import math

import torch

from llmkurs.embeddings import InputEmbedding, recovery_rate, sinusoidal_positions
from llmkurs.exercises import ch03


def test_check_1_solution_and_mistakes():
    solution = math.cos(2 / 10000 ** (2 * 1 / 8))
    assert solution == float(sinusoidal_positions(3, 8)[2, 3]) or abs(solution - float(sinusoidal_positions(3, 8)[2, 3])) < 1e-6
    assert ch03.check_1(solution).ok
    assert ch03.check_1(math.cos(0.2)).ok
    sin_fb = ch03.check_1(math.sin(0.2))
    assert not sin_fb.ok and "cosinus" in sin_fb.message
    assert not ch03.check_1(math.cos(2 / 10000 ** (3 / 8))).ok  # j/dim zamiast 2i/dim
    assert not ch03.check_1(math.cos(2 / 10000 ** (4 / 8))).ok
    assert not ch03.check_1(None).ok
    assert not ch03.check_1("cos").ok


def test_check_2_solution_and_mistakes():
    learned = InputEmbedding(10, 768, 1024).pos_emb.weight.numel()
    sinus = sum(p.numel() for p in InputEmbedding(10, 768, 1024, positional="sinusoidal").parameters()) - 10 * 768
    assert (learned, sinus) == (786_432, 0)
    assert ch03.check_2(learned, sinus).ok
    assert not ch03.check_2(1024 + 768, 0).ok
    assert not ch03.check_2(786_432, 786_432).ok
    assert not ch03.check_2(None, 0).ok
    assert not ch03.check_2("a", "b").ok


def test_check_3_uses_measured_value():
    measured = recovery_rate(24)["token"]
    assert 0.6 < measured < 0.95  # między d = 16 a d = 32 z wykresu rozdziału
    assert ch03.check_3(0.75, dim=24).ok  # rozwiązanie z notatnika
    assert ch03.check_3(measured, dim=24).ok
    assert not ch03.check_3(0.1, dim=24).ok
    assert not ch03.check_3(1.0, dim=2).ok
    assert not ch03.check_3(1.5, dim=24).ok
    assert not ch03.check_3(None).ok


def test_check_4_solution_and_mistakes():
    pe16 = sinusoidal_positions(100, 16)
    values = [float(pe16[p] @ pe16[p + 3]) for p in (0, 10, 50)]
    assert max(values) - min(values) < 1e-4
    assert ch03.check_4(values[0]).ok
    assert not ch03.check_4(float(pe16[0] @ pe16[2])).ok  # odległość 2
    assert not ch03.check_4(8.0).ok  # odległość 0 daje d/2
    assert not ch03.check_4(None).ok


def test_check_5_dictionary_size():
    from llmkurs.embeddings import recovery_rate

    before = recovery_rate(32, vocab_size=1000, num_samples=500, seed=0)["token"]
    after = recovery_rate(32, vocab_size=10000, num_samples=500, seed=0)["token"]
    truth = "wzrośnie" if after > before + 0.01 else "spadnie" if after < before - 0.01 else "bez zmian"
    assert truth == "spadnie"            # więcej kandydatów w tej samej przestrzeni
    state = torch.random.get_rng_state()
    assert ch03.check_5("spadnie").ok
    assert torch.equal(state, torch.random.get_rng_state())
    for wrong in ("wzrośnie", "bez zmian", "mniej", None, 0.5):
        assert not ch03.check_5(wrong).ok


def test_check_6_rotation_angle():
    assert ch03.check_6(3.0).ok
    assert ch03.check_6(3).ok
    assert ch03.check_6(0.3, k=3, pair=1, dim=8).ok          # ω_1 = 1/10 dla d = 8
    fb = ch03.check_6(math.degrees(3.0))
    assert not fb.ok and "stopniach" in fb.message
    fb = ch03.check_6(1.0)
    assert not fb.ok and "jedną pozycję" in fb.message
    assert not ch03.check_6("trzy").ok and not ch03.check_6(None).ok


def test_check_3_hint_uses_the_dimension():
    fb = ch03.check_3(0.0, dim=24)
    assert not fb.ok and "24" in fb.message and "16" not in fb.message
