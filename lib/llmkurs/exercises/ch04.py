"""Ćwiczenia rozdziału 4 (naiwna samo-uwaga) z automatycznym sprawdzaniem.

Każda funkcja ``check_N`` przyjmuje odpowiedź studenta i zwraca
:class:`~llmkurs.exercises.common.Feedback` (nigdy nie zgłasza wyjątku). Odpowiedzi wzorcowe
liczymy niezależnie, wprost ze wzorów, na wektorach :func:`llmkurs.attention.example_inputs`.
"""

from __future__ import annotations

import math

import torch

from llmkurs.attention import example_inputs
from llmkurs.exercises.common import Feedback, feedback, not_done


def _tensor(answer, shape) -> torch.Tensor | Feedback:
    if answer is None:
        return not_done()
    try:
        t = torch.as_tensor(answer, dtype=torch.float32).detach()
    except Exception:  # noqa: BLE001
        return Feedback(False, "odpowiedź musi być tensorem (albo listą liczb).")
    if tuple(t.shape) != tuple(shape):
        return Feedback(False, f"oczekuję kształtu {tuple(shape)}, a odpowiedź ma kształt {tuple(t.shape)}.")
    if not torch.isfinite(t).all():
        return Feedback(False, "w odpowiedzi są wartości nan albo inf: sprawdź obliczenia.")
    return t


def _softmax_ref(v: torch.Tensor) -> torch.Tensor:
    e = [math.exp(float(a) - float(v.max())) for a in v]
    return torch.tensor([a / sum(e) for a in e])


def check_1(wyniki_1) -> Feedback:
    """Wyniki uwagi (iloczyny skalarne) dla zapytania ``x^(1)`` ze wszystkimi tokenami: kształt (6,)."""
    x = example_inputs()
    t = _tensor(wyniki_1, (6,))
    if isinstance(t, Feedback):
        return t
    ref = torch.tensor([sum(float(a) * float(b) for a, b in zip(x[0], row)) for row in x])
    if torch.allclose(t, ref, atol=1e-3):
        return Feedback(True, f"wyniki ω₁ᵢ = {[round(v, 4) for v in ref.tolist()]}; największy jest wynik tokenu z samym sobą.")
    if torch.allclose(t, x @ x[1], atol=1e-3):
        return Feedback(False, "to wyniki dla x^(2) (inputs[1]); zapytaniem ma być pierwszy token, inputs[0].")
    if torch.allclose(t, _softmax_ref(ref), atol=1e-3):
        return Feedback(False, "to już wagi po softmaksie; tu chodzi o surowe wyniki (same iloczyny skalarne).")
    return Feedback(False, "policz iloczyn skalarny inputs[0] z każdym wierszem inputs, np. inputs @ inputs[0].")


def check_2(moj_softmax) -> Feedback:
    """Własna funkcja ``moj_softmax(x)`` (po ostatnim wymiarze), stabilna dla dużych liczb."""
    if moj_softmax is None:
        return not_done("funkcję moj_softmax")
    if not callable(moj_softmax):
        return Feedback(False, "odpowiedzią ma być funkcja (def moj_softmax(x): ...), nie liczba ani tensor.")
    cases = [
        torch.tensor([2.0, 1.0, 0.1]),
        torch.tensor([[0.5, -1.0, 3.0], [4.0, 4.0, 4.0]]),
        torch.tensor([1000.0, 1001.0, 1002.0]),
        torch.tensor([-1000.0, -999.0, -1001.0]),
    ]
    for x in cases:
        try:
            got = torch.as_tensor(moj_softmax(x.clone()), dtype=torch.float32)
        except Exception as err:  # noqa: BLE001
            return Feedback(False, f"funkcja zgłosiła błąd {type(err).__name__} dla x = {x.tolist()}: sprawdź ją na małym przykładzie.")
        if got.shape != x.shape:
            return Feedback(False, f"dla wejścia o kształcie {tuple(x.shape)} funkcja zwraca kształt {tuple(got.shape)}: licz softmax po ostatnim wymiarze (dim=-1, keepdim=True).")
        if torch.isnan(got).any() or torch.isinf(got).any():
            return Feedback(False, f"dla x = {x.tolist()} wychodzi nan albo inf: przed exp odejmij maksimum, x - x.max(dim=-1, keepdim=True).values.")
        ref = torch.stack([_softmax_ref(r) for r in x.reshape(-1, x.shape[-1])]).reshape(x.shape)
        if not torch.allclose(got, ref, atol=1e-5):
            return Feedback(False, f"dla x = {x.tolist()} wynik {[round(v, 4) for v in got.flatten().tolist()]} różni się od softmaksu: sprawdź, czy dzielisz przez sumę w tym samym wierszu.")
    return Feedback(True, "twój softmax zgadza się ze wzorem także dla 1000, 1001, 1002 – bez przepełnienia.")


def check_3(kontekst_5) -> Feedback:
    """Wektor kontekstu ``z^(5)`` (token „od”, indeks 4) w uwadze naiwnej: kształt (3,)."""
    x = example_inputs()
    t = _tensor(kontekst_5, (3,))
    if isinstance(t, Feedback):
        return t
    w = _softmax_ref(x @ x[4])
    ref = w @ x
    if torch.allclose(t, ref, atol=1e-3):
        return Feedback(True, f"z⁽⁵⁾ = {[round(v, 4) for v in ref.tolist()]}.")
    if torch.allclose(t, (x @ x[4]) @ x, atol=1e-3):
        return Feedback(False, "użyłeś surowych wyników zamiast wag: najpierw softmax, potem suma ważona wektorów.")
    w2 = _softmax_ref(x @ x[1])
    if torch.allclose(t, w2 @ x, atol=1e-3):
        return Feedback(False, "to wektor kontekstu z⁽²⁾; token „od” to inputs[4] (liczymy od zera).")
    if torch.allclose(t, x[4], atol=1e-3):
        return Feedback(False, "to sam wektor wejściowy x⁽⁵⁾; wektor kontekstu to średnia ważona wszystkich wejść.")
    return Feedback(False, "policz wagi = softmax(inputs @ inputs[4]) i potem wagi @ inputs.")


def check_4(wagi_t) -> Feedback:
    """Softmax wyników [2, 1, 0.1] przy temperaturze T = 0.5: kształt (3,)."""
    t = _tensor(wagi_t, (3,))
    if isinstance(t, Feedback):
        return t
    scores = torch.tensor([2.0, 1.0, 0.1])
    ref = _softmax_ref(scores / 0.5)
    if torch.allclose(t, ref, atol=1e-3):
        return Feedback(True, f"wagi {[round(v, 4) for v in ref.tolist()]}: niższa temperatura wyostrza rozkład.")
    if torch.allclose(t, _softmax_ref(scores * 0.5), atol=1e-3):
        return Feedback(False, "pomnożyłeś przez T; wyniki dzielimy przez temperaturę: softmax(ω / T).")
    if torch.allclose(t, _softmax_ref(scores), atol=1e-3):
        return Feedback(False, "to softmax przy T = 1; podziel najpierw wyniki przez 0.5.")
    return feedback(False, "", "policz softmax(torch.tensor([2.0, 1.0, 0.1]) / 0.5).")
