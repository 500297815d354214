"""Ćwiczenia rozdziału 5 (uwaga skalowana: zapytania, klucze, wartości) z automatycznym sprawdzaniem.

Odpowiedzi wzorcowe liczymy niezależnie: macierze z własnego generatora z ziarnem 123 (ten sam
ciąg liczb co ``torch.manual_seed(123)`` i trzy wywołania ``torch.rand(3, 2)``, jak w książce),
wzory wprost. Funkcje ``check_N`` nie zmieniają globalnego stanu generatora liczb losowych.
"""

from __future__ import annotations

import math

import torch

from llmkurs.attention import example_inputs
from llmkurs.exercises.ch04 import _softmax_ref, _tensor
from llmkurs.exercises.common import Feedback, not_done


def book_matrices(seed: int = 123, d_out: int = 2) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``W_query``, ``W_key``, ``W_value`` (3×d_out) jak po ``torch.manual_seed(seed)`` i trzech ``torch.rand``."""
    gen = torch.Generator().manual_seed(seed)
    return tuple(torch.rand(3, d_out, generator=gen) for _ in range(3))


def check_1(keys, values) -> Feedback:
    """Klucze i wartości sześciu tokenów dla ``d_out = 4`` (ziarno 123): dwa tensory (6, 4)."""
    if keys is None or values is None:
        return not_done("keys i values")
    k = _tensor(keys, (6, 4))
    if isinstance(k, Feedback):
        return Feedback(False, "keys: " + k.message + " Ustaw d_out = 4.")
    v = _tensor(values, (6, 4))
    if isinstance(v, Feedback):
        return Feedback(False, "values: " + v.message + " Ustaw d_out = 4.")
    x = example_inputs()
    wq, wk, wv = book_matrices(d_out=4)
    if torch.allclose(k, x @ wk, atol=1e-3) and torch.allclose(v, x @ wv, atol=1e-3):
        return Feedback(True, "klucze i wartości zgadzają się: każdy token ma teraz klucz i wartość o 4 współrzędnych.")
    if torch.allclose(k, x @ wq, atol=1e-3):
        return Feedback(False, "keys policzone macierzą W_query; klucze to inputs @ W_key.")
    if torch.allclose(k, x @ wv, atol=1e-3) and torch.allclose(v, x @ wk, atol=1e-3):
        return Feedback(False, "zamieniłeś klucze z wartościami: keys = inputs @ W_key, values = inputs @ W_value.")
    if not torch.allclose(k, x @ wk, atol=1e-3):
        return Feedback(False, "keys się nie zgadzają: ustaw torch.manual_seed(123) i utwórz macierze w kolejności W_query, W_key, W_value.")
    return Feedback(False, "values się nie zgadzają: values = inputs @ W_value.")


def check_2(attn_weights_3) -> Feedback:
    """Wagi uwagi dla zapytania ``x^(3)`` („zaczyna”) ze skalowaniem przez √d_k (ziarno 123, d_out = 2): kształt (6,)."""
    t = _tensor(attn_weights_3, (6,))
    if isinstance(t, Feedback):
        return t
    x = example_inputs()
    wq, wk, _ = book_matrices()
    scores = (x[2] @ wq) @ (x @ wk).T
    ref = _softmax_ref(scores / math.sqrt(2))
    if torch.allclose(t, ref, atol=1e-4):
        return Feedback(True, f"wagi {[round(a, 4) for a in ref.tolist()]}.")
    scores_2 = (x[1] @ wq) @ (x @ wk).T
    if torch.allclose(t, _softmax_ref(scores_2 / math.sqrt(2)), atol=1e-4):
        return Feedback(False, "to wagi dla x^(2); zapytaniem ma być trzeci token, inputs[2].")
    if torch.allclose(t, _softmax_ref(scores), atol=1e-4):
        return Feedback(False, "zapomniałeś o skalowaniu: podziel wyniki przez √d_k = √2 przed softmaksem.")
    if torch.allclose(t, _softmax_ref(scores / 2), atol=1e-4):
        return Feedback(False, "podzieliłeś przez d_k = 2; dzielimy przez pierwiastek, √2 ≈ 1.414.")
    if torch.allclose(t, scores / math.sqrt(2), atol=1e-4):
        return Feedback(False, "to przeskalowane wyniki; zostało jeszcze zastosować softmax.")
    return Feedback(False, "policz query_3 = inputs[2] @ W_query, wyniki = query_3 @ keys.T, a potem softmax(wyniki / √2).")


def check_3(self_attention) -> Feedback:
    """Funkcja ``self_attention(x, W_q, W_k, W_v)`` zwracająca macierz wektorów kontekstu."""
    if self_attention is None:
        return not_done("funkcję self_attention")
    if not callable(self_attention):
        return Feedback(False, "odpowiedzią ma być funkcja (def self_attention(x, W_q, W_k, W_v): ...).")
    gen = torch.Generator().manual_seed(7)
    for n, d_in, d_k in ((6, 3, 2), (4, 5, 8)):
        x = torch.randn(n, d_in, generator=gen)
        wq, wk, wv = (torch.randn(d_in, d_k, generator=gen) for _ in range(3))
        q, k, v = x @ wq, x @ wk, x @ wv
        scores = q @ k.T
        w = torch.stack([_softmax_ref(r) for r in scores / math.sqrt(d_k)])
        ref = w @ v
        try:
            got = torch.as_tensor(self_attention(x.clone(), wq.clone(), wk.clone(), wv.clone()), dtype=torch.float32).detach()
        except Exception as err:  # noqa: BLE001
            return Feedback(False, f"funkcja zgłosiła błąd {type(err).__name__} dla x o kształcie {tuple(x.shape)}: sprawdź kształty macierzy.")
        if tuple(got.shape) != tuple(ref.shape):
            return Feedback(False, f"dla x {tuple(x.shape)} i d_k = {d_k} oczekuję wyniku {tuple(ref.shape)}, a jest {tuple(got.shape)}.")
        if torch.allclose(got, ref, atol=1e-4):
            continue
        w_raw = torch.stack([_softmax_ref(r) for r in scores])
        if torch.allclose(got, w_raw @ v, atol=1e-4):
            return Feedback(False, "brakuje dzielenia przez √d_k (d_k = liczba kolumn kluczy, keys.shape[-1]).")
        if torch.allclose(got, torch.stack([_softmax_ref(r) for r in scores.T / math.sqrt(d_k)]).T @ v, atol=1e-4):
            return Feedback(False, "softmax liczony w kolumnach; wagi normalizujemy w wierszach (dim=-1).")
        return Feedback(False, "wynik różni się od softmax(Q Kᵀ / √d_k) V: sprawdź kolejność mnożeń.")
    return Feedback(True, "twoja funkcja liczy softmax(Q Kᵀ / √d_k) V – to cała samo-uwaga bez maski.")


def check_4(std_64) -> Feedback:
    """Odchylenie standardowe iloczynu skalarnego dwóch losowych wektorów N(0, 1) o d_k = 64."""
    if std_64 is None:
        return not_done()
    try:
        value = float(std_64)
    except Exception:  # noqa: BLE001
        return Feedback(False, "odpowiedzią ma być jedna liczba, np. 3.5.")
    if abs(value - 8.0) <= 0.5:
        return Feedback(True, "√64 = 8: iloczyn to suma 64 składników o wariancji 1, więc wariancja 64, a odchylenie 8.")
    if abs(value - 64.0) <= 2:
        return Feedback(False, "64 to wariancja (suma 64 wariancji równych 1); odchylenie standardowe to jej pierwiastek.")
    if abs(value - 1.0) <= 0.2:
        return Feedback(False, "1 to odchylenie po przeskalowaniu przez √d_k; pytamy o iloczyn bez skalowania.")
    return Feedback(False, "iloczyn skalarny to suma d_k iloczynów q_i·k_i, każdy o wariancji 1: ile wynosi wariancja sumy, a ile jej pierwiastek?")
