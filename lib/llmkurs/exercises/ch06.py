"""Ćwiczenia rozdziału 6 (uwaga przyczynowa): maska, wagi z maską, liczenie wag, normalizacja.

Każda funkcja ``check_N`` przyjmuje odpowiedź studenta i zwraca
:class:`~llmkurs.exercises.common.Feedback` z polskim zdaniem; nigdy nie rzuca wyjątku.
"""

from __future__ import annotations

import torch

from llmkurs.exercises.common import Feedback, feedback, not_done

#: Liczba tokenów w ćwiczeniu 2.
EXERCISE_TOKENS = 5


def exercise_scores() -> torch.Tensor:
    """Wyniki uwagi (już podzielone przez √d_k) do ćwiczenia 2: stałe, z ziarnem 2024."""
    gen = torch.Generator().manual_seed(2024)
    return torch.randn(EXERCISE_TOKENS, EXERCISE_TOKENS, generator=gen).round(decimals=2)


def _as_tensor(value):
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64)
    try:
        return torch.as_tensor(value, dtype=torch.float64)
    except Exception:  # noqa: BLE001 – zła odpowiedź to nie wyjątek
        return None


def check_1(maska) -> Feedback:
    """Maska przyszłości dla 4 tokenów: ``True`` (albo 1) tam, gdzie ukrywamy."""
    if maska is None:
        return not_done("maskę")
    m = _as_tensor(maska)
    if m is None or m.shape != (4, 4):
        return Feedback(False, "maska dla 4 tokenów to macierz 4×4, np. z torch.triu(torch.ones(4, 4), diagonal=1).")
    expected = torch.triu(torch.ones(4, 4, dtype=torch.float64), diagonal=1)
    if torch.equal(m, expected):
        return Feedback(True, "jedynki (True) są dokładnie nad przekątną – token i nie widzi tokenów j > i.")
    if torch.equal(m, torch.tril(torch.ones(4, 4, dtype=torch.float64))):
        return Feedback(False, "to maska tego, co zostaje (torch.tril); tu chcemy zaznaczyć to, co ukrywamy – przyszłość nad przekątną.")
    if torch.equal(m, torch.triu(torch.ones(4, 4, dtype=torch.float64))):
        return Feedback(False, "zamaskowana jest też przekątna, a token może patrzeć na samego siebie: użyj diagonal=1.")
    if torch.equal(m, torch.tril(torch.ones(4, 4, dtype=torch.float64), diagonal=-1)):
        return Feedback(False, "ukrywasz przeszłość zamiast przyszłości: jedynki mają być nad przekątną, nie pod nią.")
    return Feedback(False, "jedynki (True) mają stać dokładnie nad przekątną: w wierszu i w kolumnach i+1, i+2, …")


def reference_weights(scores: torch.Tensor) -> torch.Tensor:
    """Wzorcowe wagi przyczynowe: −∞ nad przekątną, potem softmax po wierszach."""
    n = scores.shape[-1]
    mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    return torch.softmax(scores.masked_fill(mask, -torch.inf), dim=-1)


def check_2(wagi) -> Feedback:
    """Wagi przyczynowe dla :func:`exercise_scores` (maska −∞ i softmax po wierszach)."""
    if wagi is None:
        return not_done("wagi")
    w = _as_tensor(wagi)
    n = EXERCISE_TOKENS
    if w is None or w.shape != (n, n):
        return Feedback(False, f"wagi mają mieć kształt ({n}, {n}) – tyle, ile macierz wyników.")
    if torch.isnan(w).any():
        return Feedback(False, "w wagach są wartości nan: czy któryś wiersz nie jest zamaskowany w całości?")
    scores = exercise_scores().to(torch.float64)
    mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    ref = reference_weights(scores)
    if torch.allclose(w, ref, atol=1e-4):
        return Feedback(True, "przyszłość ma wagę 0, a każdy wiersz sumuje się do 1.")
    if torch.allclose(w, torch.softmax(scores, dim=-1).masked_fill(mask, 0.0), atol=1e-4):
        return Feedback(False, "przyszłość jest wyzerowana po softmaksie, ale wiersze nie są ponownie znormalizowane – sumy są mniejsze od 1.")
    if torch.allclose(w, torch.softmax(scores.masked_fill(mask, 0.0), dim=-1), atol=1e-4):
        return Feedback(False, "zero przed softmaksem to nie to samo co −∞: exp(0) = 1, więc przyszłość dalej dostaje wagę. Użyj -torch.inf.")
    if torch.allclose(w, torch.softmax(scores.masked_fill(mask, -torch.inf), dim=0), atol=1e-4):
        return Feedback(False, "softmax liczysz wzdłuż kolumn (dim=0); wagi każdego tokenu to wiersz – użyj dim=-1.")
    if not torch.allclose(w.masked_select(mask), torch.zeros(1, dtype=torch.float64), atol=1e-6):
        return Feedback(False, "nad przekątną (przyszłość) wagi mają być równe 0.")
    return Feedback(False, "wiersze powinny sumować się do 1, a w widocznej części zgadzać się z softmaksem wyników.")


def check_3(liczba) -> Feedback:
    """Ile wag w macierzy uwagi przyczynowej 10 tokenów może być niezerowych?"""
    if liczba is None:
        return not_done("liczbę")
    if isinstance(liczba, bool) or not isinstance(liczba, (int, float)) or liczba != int(liczba):
        return Feedback(False, "odpowiedzią jest jedna liczba całkowita.")
    liczba = int(liczba)
    if liczba == 55:
        return Feedback(True, "1 + 2 + … + 10 = 10·11/2 = 55 (przekątna i wszystko pod nią).")
    if liczba == 45:
        return Feedback(False, "nie zapomnij o przekątnej: każdy token widzi też samego siebie.")
    if liczba == 100:
        return Feedback(False, "100 to wszystkie komórki macierzy 10×10 – a przyszłość jest ukryta.")
    return Feedback(False, "token na pozycji i widzi i tokenów (od 1 do i): dodaj to dla i = 1, …, 10.")


#: Wiersz wag drugiego tokenu przed maskowaniem (ćwiczenie 4).
ROW_BEFORE = (0.2, 0.3, 0.1, 0.4)


def check_4(wiersz) -> Feedback:
    """Wiersz wag drugiego tokenu po zamaskowaniu przyszłości i ponownej normalizacji."""
    if wiersz is None:
        return not_done("wiersz wag")
    w = _as_tensor(wiersz)
    if w is None or w.shape != (4,):
        return Feedback(False, "podaj cztery liczby – po jednej wadze na każdy token, także te wyzerowane.")
    if torch.allclose(w, torch.tensor([0.4, 0.6, 0.0, 0.0], dtype=torch.float64), atol=1e-3):
        return Feedback(True, "0,2 i 0,3 dzielimy przez ich sumę 0,5: wychodzi 0,4 i 0,6.")
    if torch.allclose(w, torch.tensor([0.2, 0.3, 0.0, 0.0], dtype=torch.float64), atol=1e-3):
        return Feedback(False, "przyszłość wyzerowana, ale wiersz sumuje się do 0,5 – podziel przez tę sumę.")
    if torch.allclose(w[:1], torch.tensor([1.0], dtype=torch.float64), atol=1e-3):
        return Feedback(False, "drugi token widzi dwa tokeny: pierwszy i samego siebie.")
    return Feedback(False, "drugi token widzi tokeny 1 i 2; ich wagi podziel przez sumę 0,2 + 0,3, resztę ustaw na 0.")


__all__ = ["EXERCISE_TOKENS", "ROW_BEFORE", "check_1", "check_2", "check_3", "check_4", "exercise_scores", "feedback", "reference_weights"]


# --------------------------------------------------------------------------- 5 i 6


def check_5(prognoza, pozycja: int = 2) -> Feedback:
    """Test przecieku po zmianie komórki: token na pozycji ``pozycja`` (od zera) zmieniony –
    ile pierwszych wierszy wyniku modelu z maską zostanie identycznych?"""
    if prognoza is None:
        return not_done("prognozę (liczbę wierszy)")
    if isinstance(prognoza, bool) or not isinstance(prognoza, int):
        return Feedback(False, "prognozą jest liczba całkowita – liczba wierszy, które się nie zmienią.")
    if prognoza == pozycja:
        return Feedback(True, f"wiersze 0…{pozycja - 1} patrzą tylko na tokeny przed pozycją {pozycja}, więc się nie zmieniają; "
                              f"wiersz {pozycja} i dalsze widzą zmieniony token.")
    if prognoza == pozycja + 1:
        return Feedback(False, "o jeden za dużo: wiersz zmienionego tokenu też się zmienia – token widzi samego siebie (przekątna zostaje).")
    if prognoza == 0:
        return Feedback(False, "z maską wcześniejsze wiersze nie widzą zmienionego tokenu – bez maski zmieniłyby się wszystkie.")
    return Feedback(False, "policz, które wiersze mogą patrzeć na pozycję zmienionego tokenu: wiersz i widzi pozycje 0…i.")


def check_6(wiersz) -> Feedback:
    """Wiersz wag **pierwszego** tokenu po masce i softmaksie dla wyników [2, 1, 3]."""
    t = _as_tensor(wiersz)
    if t is None:
        return not_done("wiersz wag") if wiersz is None else Feedback(False, "podaj trzy liczby (listę albo tensor).")
    t = t.reshape(-1)
    if t.numel() != 3:
        return Feedback(False, f"wiersz ma mieć 3 liczby (jedna na token), a ma {t.numel()}.")
    t = t.float()
    if torch.allclose(t, torch.tensor([1.0, 0.0, 0.0]), atol=1e-4):
        return Feedback(True, "pierwszy token widzi tylko siebie, więc po masce cała waga (1) idzie na niego – niezależnie od wyników.")
    if torch.allclose(t, torch.tensor([0.7311, 0.2689, 0.0]), atol=1e-3):
        return Feedback(False, "to wiersz drugiego tokenu (widzi dwa tokeny); pierwszy widzi tylko siebie.")
    return Feedback(False, "zamaskuj wszystko poza pierwszą kolumną (-inf) i policz softmax: co zostaje z rozkładu po jednym tokenie?")
