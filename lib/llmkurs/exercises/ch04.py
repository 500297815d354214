"""Ćwiczenia rozdziału 4 (naiwna samouwaga) z automatycznym sprawdzaniem.

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


#: Siódmy token ćwiczeń 1 i 3 („dalej”), dopisany do zdania z książki – jego wyników nie ma w wydrukach.
EXTRA_TOKEN = (0.50, 0.10, 0.90)


def extended_inputs() -> torch.Tensor:
    """Wektory zdania z książki z dopisanym siódmym tokenem :data:`EXTRA_TOKEN` (kształt (7, 3))."""
    return torch.cat([example_inputs(), torch.tensor([EXTRA_TOKEN])])


def check_1(wyniki_1) -> Feedback:
    """Wyniki uwagi (iloczyny skalarne) dopisanego tokenu ``x^(7)`` ze wszystkimi siedmioma tokenami: kształt (7,)."""
    x = extended_inputs()
    t = _tensor(wyniki_1, (7,))
    if isinstance(t, Feedback):
        return t
    ref = torch.tensor([sum(float(a) * float(b) for a, b in zip(x[6], row)) for row in x])
    if torch.allclose(t, ref, atol=1e-3):
        best = int(ref.argmax())
        who = "z samym sobą" if best == 6 else f"z tokenem nr {best + 1}"
        return Feedback(True, f"wyniki ω₇ᵢ = {[round(v, 4) for v in ref.tolist()]}; największy jest wynik {who}.")
    if torch.allclose(t, x @ x[0], atol=1e-3):
        return Feedback(False, "to wyniki dla x^(1) (x7[0]); zapytaniem ma być dopisany token, x7[6].")
    if torch.allclose(t, _softmax_ref(ref), atol=1e-3):
        return Feedback(False, "to już wagi po softmaksie; tu chodzi o surowe wyniki (same iloczyny skalarne).")
    return Feedback(False, "policz iloczyn skalarny x7[6] z każdym wierszem x7, np. x7 @ x7[6].")


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


def check_3(kontekst_7) -> Feedback:
    """Wektor kontekstu ``z^(7)`` dopisanego tokenu w uwadze naiwnej na siedmiu tokenach: kształt (3,)."""
    x = extended_inputs()
    t = _tensor(kontekst_7, (3,))
    if isinstance(t, Feedback):
        return t
    w = _softmax_ref(x @ x[6])
    ref = w @ x
    if torch.allclose(t, ref, atol=1e-3):
        return Feedback(True, f"z⁽⁷⁾ = {[round(v, 4) for v in ref.tolist()]} – średnia wektorów siedmiu tokenów z wagami {[round(v, 2) for v in w.tolist()]}.")
    if torch.allclose(t, (x @ x[6]) @ x, atol=1e-3):
        return Feedback(False, "wynik jest sumą ważoną surowych wyników zamiast wag: najpierw softmax, potem suma ważona wektorów.")
    x6 = example_inputs()
    if torch.allclose(t, _softmax_ref(x6 @ x[6]) @ x6, atol=1e-3):
        return Feedback(False, "w sumie brakuje samego dopisanego tokenu: wagi i suma idą po wszystkich siedmiu wierszach x7.")
    if torch.allclose(t, x[6], atol=1e-3):
        return Feedback(False, "to sam wektor wejściowy x⁽⁷⁾; wektor kontekstu to średnia ważona wszystkich wejść.")
    return Feedback(False, "policz wagi = softmax(x7 @ x7[6]) i potem wagi @ x7.")


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
        return Feedback(False, "wynik jest pomnożony przez T; wyniki dzielimy przez temperaturę: softmax(ω / T).")
    if torch.allclose(t, _softmax_ref(scores), atol=1e-3):
        return Feedback(False, "to softmax przy T = 1; podziel najpierw wyniki przez 0.5.")
    return feedback(False, "", "policz softmax(torch.tensor([2.0, 1.0, 0.1]) / 0.5).")


# --------------------------------------------------------------------------- 5 i 6

#: Permutacja wierszy z ćwiczeń 5 i 6 (odwrócona kolejność tokenów).
PERM = [5, 4, 3, 2, 1, 0]


def exercise_positions() -> torch.Tensor:
    """Stałe wektory pozycji do ćwiczenia 6 (6 × 3): pozycja p ma współrzędne 0,3·p·[1, −1, 0,5]."""
    return 0.3 * torch.arange(6.0)[:, None] * torch.tensor([1.0, -1.0, 0.5])


def _naive(x: torch.Tensor) -> torch.Tensor:
    return torch.stack([_softmax_ref(x @ q) for q in x]) @ x


def _prediction(value):
    return value if isinstance(value, bool) else None


def check_5(kontekst_perm, prognoza) -> Feedback:
    """Uwaga naiwna na wierszach przestawionych permutacją :data:`PERM` i prognoza: czy wynik to
    te same wektory kontekstu, przestawione tak samo (``Z[PERM]``)?"""
    if kontekst_perm is None or prognoza is None:
        return not_done("wynik i prognozę (True albo False)")
    if _prediction(prognoza) is None:
        return Feedback(False, "prognoza to True (wynik = Z przestawione tak samo) albo False.")
    x = example_inputs()
    t = _tensor(kontekst_perm, (6, 3))
    if isinstance(t, Feedback):
        return t
    ref, z = _naive(x[PERM]), _naive(x)
    if torch.allclose(t, z, atol=1e-3):
        return Feedback(False, "to wektory kontekstu dla zdania w zwykłej kolejności: w komórce zamień inputs na inputs[PERM].")
    if not torch.allclose(t, ref, atol=1e-3):
        return Feedback(False, "to nie jest uwaga naiwna na inputs[PERM]: policz softmax(X Xᵀ) @ X dla X = inputs[PERM].")
    same = bool(torch.allclose(ref, z[PERM], atol=1e-5))
    if prognoza == same:
        return Feedback(True, "wynik to dokładnie Z[PERM]: uwaga naiwna nie widzi kolejności – przestawienie tokenów tylko przestawia wiersze wyniku "
                              "(mówimy, że jest ekwiwariantna względem permutacji).")
    return Feedback(False, "wynik jest poprawny, ale prognoza nie: porównaj go z Z[PERM] (torch.allclose) – każdy wiersz zależy tylko od zbioru wektorów, nie od ich kolejności.")


def check_6(kontekst_pos_perm, prognoza) -> Feedback:
    """Jak :func:`check_5`, ale z pozycjami dodanymi po przestawieniu: ``X = inputs[PERM] + P``.
    Prognoza: czy wynik to nadal ``Z_P[PERM]`` dla ``Z_P`` = uwaga naiwna na ``inputs + P``?"""
    if kontekst_pos_perm is None or prognoza is None:
        return not_done("wynik i prognozę (True albo False)")
    if _prediction(prognoza) is None:
        return Feedback(False, "prognoza to True (wynik = Z_P przestawione tak samo) albo False.")
    x, pos = example_inputs(), exercise_positions()
    t = _tensor(kontekst_pos_perm, (6, 3))
    if isinstance(t, Feedback):
        return t
    ref = _naive(x[PERM] + pos)
    if torch.allclose(t, _naive(x[PERM] + pos[PERM]), atol=1e-3) or torch.allclose(t, _naive(x + pos)[PERM], atol=1e-3):
        return Feedback(False, "pozycje przestawiają się razem z tokenami: pozycja zależy od miejsca, więc dodaj P do inputs[PERM] bez przestawiania P.")
    if not torch.allclose(t, ref, atol=1e-3):
        return Feedback(False, "policz uwagę naiwną na X = inputs[PERM] + pozycje (pozycje bez przestawiania).")
    same = bool(torch.allclose(ref, _naive(x + pos)[PERM], atol=1e-5))
    if prognoza == same:
        return Feedback(True, "z pozycjami przestawione zdanie daje inne wektory kontekstu niż przestawione wiersze: "
                              "ten sam token na innym miejscu ma inny wektor, więc kolejność zaczyna mieć znaczenie.")
    return Feedback(False, "wynik jest poprawny, ale prognoza nie: porównaj go z Z_P[PERM] – po dodaniu pozycji token na innym miejscu ma inny wektor.")
