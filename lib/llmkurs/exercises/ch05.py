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
from llmkurs.polish import decimal_pl


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
        return Feedback(False, "klucze i wartości są zamienione: keys = inputs @ W_key, values = inputs @ W_value.")
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
        return Feedback(False, "brakuje dzielenia przy skalowaniu: podziel wyniki przez √d_k = √2 przed softmaksem.")
    if torch.allclose(t, _softmax_ref(scores / 2), atol=1e-4):
        return Feedback(False, "wynik jest podzielony przez d_k = 2; dzielimy przez pierwiastek, √2 ≈ 1.414.")
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
    return Feedback(True, "twoja funkcja liczy softmax(Q Kᵀ / √d_k) V – to cała samouwaga bez maski.")


def check_4(std, d_k: int = 100) -> Feedback:
    """Odchylenie standardowe iloczynu skalarnego dwóch losowych wektorów N(0, 1) o ``d_k`` współrzędnych
    (w rozdziale 100 – tej wartości nie ma w tabeli eksperymentu)."""
    if std is None:
        return not_done()
    try:
        value = float(std)
    except Exception:  # noqa: BLE001
        return Feedback(False, "odpowiedzią ma być jedna liczba, np. 3.5.")
    ref = math.sqrt(d_k)
    if abs(value - ref) <= 0.05 * ref:
        return Feedback(True, f"√{d_k} = {ref:g}: iloczyn to suma {d_k} składników o wariancji 1, więc wariancja {d_k}, a odchylenie {ref:g}.")
    if abs(value - d_k) <= 0.05 * d_k:
        return Feedback(False, f"{d_k} to wariancja (suma {d_k} wariancji równych 1); odchylenie standardowe to jej pierwiastek.")
    if abs(value - 1.0) <= 0.2:
        return Feedback(False, "1 to odchylenie po przeskalowaniu przez √d_k; pytamy o iloczyn bez skalowania.")
    return Feedback(False, "iloczyn skalarny to suma d_k iloczynów q_i·k_i, każdy o wariancji 1: ile wynosi wariancja sumy, a ile jej pierwiastek?")


# --------------------------------------------------------------------------- 5 i 6

#: Zaprojektowany przykład „gdzie są czasowniki?”: cechy [rzeczownik, czasownik, inne, stała 1].
VERB_WORDS = ("Kot", "śpi", "a", "pies", "biegnie")
VERB_X = ((1, 0, 0, 1), (0, 1, 0, 1), (0, 0, 1, 1), (1, 0, 0, 1), (0, 1, 0, 1))


def verb_weights(scale: float) -> torch.Tensor:
    """Wagi uwagi zaprojektowanej głowy „gdzie są czasowniki?” przy sile zapytania ``scale``:
    zapytanie każdego tokenu to ``[0, scale, 0]``, klucz – jego cechy ``[rzeczownik, czasownik, inne]``."""
    x = torch.tensor(VERB_X, dtype=torch.float32)
    w_q = torch.zeros(4, 3)
    w_q[3, 1] = float(scale)
    w_k = torch.eye(4, 3)
    scores = (x @ w_q) @ (x @ w_k).T / math.sqrt(3)
    return torch.softmax(scores, dim=-1)


def check_5(prognoza, scale: float = 10.0) -> Feedback:
    """Prognoza po zmianie siły zapytania w przykładzie „gdzie są czasowniki?”: czy łączna waga
    na czasownikach w wierszu „Kot” przekroczy 0,99?"""
    if prognoza is None:
        return not_done("prognozę (True albo False)")
    if not isinstance(prognoza, bool):
        return Feedback(False, "prognoza to True (waga na czasownikach > 0,99) albo False.")
    w = verb_weights(scale)[0]
    total = float(w[1] + w[4])
    truth = total > 0.99
    msg = f"przy sile {scale:g} łączna waga „Kot” na „śpi” i „biegnie” to {decimal_pl(total, 4)}."
    if prognoza == truth:
        return Feedback(True, msg + " Większe zapytanie to większa różnica wyników, a softmax zamienia ją w coraz ostrzejszy wybór.")
    return Feedback(False, msg + " Wynik różni się od prognozy: różnica wyników czasownik – reszta to siła/√3, a softmax rośnie z nią wykładniczo.")


def check_6(wyniki_sym, prognoza) -> Feedback:
    """Wyniki ``Q Kᵀ`` po zmianie komórki tak, by ``W_key = W_query`` (ziarno 123), i prognoza:
    czy macierz wyników jest teraz symetryczna?"""
    if wyniki_sym is None or prognoza is None:
        return not_done("macierz wyników i prognozę")
    if not isinstance(prognoza, bool):
        return Feedback(False, "prognoza to True (macierz symetryczna) albo False.")
    try:
        t = torch.as_tensor(wyniki_sym, dtype=torch.float32).detach()
    except Exception:  # noqa: BLE001
        return Feedback(False, "podaj macierz wyników 6 × 6 (tensor).")
    if tuple(t.shape) != (6, 6):
        return Feedback(False, f"oczekuję macierzy 6 × 6, a odpowiedź ma kształt {tuple(t.shape)}.")
    x = example_inputs()
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(123)
        w_q, w_k = torch.rand(3, 2), torch.rand(3, 2)
    finally:
        torch.random.set_rng_state(state)
    ref = (x @ w_q) @ (x @ w_q).T
    if torch.allclose(t, (x @ w_q) @ (x @ w_k).T, atol=1e-3):
        return Feedback(False, "to wyniki z różnymi W_query i W_key (komórka niezmieniona): ustaw K = inputs @ W_query.")
    if not torch.allclose(t, ref, atol=1e-3):
        return Feedback(False, "policz Q Qᵀ dla Q = inputs @ W_query (macierz z rozdziału, ziarno 123).")
    if prognoza:
        return Feedback(True, "przy W_k = W_q wynik to Q Qᵀ – macierz symetryczna, jak X Xᵀ w rozdziale 4; dopiero dwie różne macierze pozwalają, by „a patrzy na b” różniło się od „b patrzy na a”.")
    return Feedback(False, "wynik jest poprawny, ale prognoza nie: (Q Qᵀ)ᵀ = Q Qᵀ – sprawdź torch.allclose(wyniki, wyniki.T).")
