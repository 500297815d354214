"""Ćwiczenia rozdziału 3 (Osadzenia pozycyjne): funkcje sprawdzające po polsku.

1. :func:`check_1` – jedna liczba kodowania sinusoidalnego policzona ręcznie: ``PE[2, 3]`` dla
   ``dim = 8``.
2. :func:`check_2` – liczba parametrów osadzeń pozycyjnych: uczonych w GPT-2 small (1024 × 768)
   i sinusoidalnych.
3. :func:`check_3` – prognoza: jaki ułamek tokenów odczytamy z sumy w wymiarze ``dim`` (w rozdziale 24; przed
   uruchomieniem doświadczenia).
4. :func:`check_4` – iloczyn skalarny ``PE[p]·PE[p+3]`` dla ``dim = 16``: nie zależy od ``p``.
"""

from __future__ import annotations

import math

from llmkurs.embeddings import recovery_rate
from llmkurs.exercises.common import Feedback, not_done
from llmkurs.polish import decimal_pl


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_1(wartosc) -> Feedback:
    """``PE[2, 3]`` dla ``dim = 8``: współrzędna nieparzysta → cosinus, ``i = 1``."""
    if wartosc is None:
        return not_done("liczbę")
    value = _number(wartosc)
    if value is None:
        return Feedback(False, "podaj jedną liczbę.")
    ref = math.cos(2 / 10000 ** (2 / 8))  # cos(0,2)
    if abs(value - ref) < 1e-4:
        return Feedback(True, f"PE[2, 3] = cos(2 / 10000^(2/8)) = cos(2/10) = {decimal_pl(ref, 6)}.")
    if abs(value - math.sin(0.2)) < 1e-4:
        return Feedback(False, "współrzędna 3 jest nieparzysta, więc bierzemy cosinus, nie sinus.")
    if abs(value - math.cos(2 / 10000 ** (3 / 8))) < 1e-4:
        return Feedback(False, "w wykładniku jest 2i/dim, gdzie i = 1 (para współrzędnych 2 i 3), a nie j/dim = 3/8.")
    if abs(value - math.cos(2 / 10000 ** (4 / 8))) < 1e-4:
        return Feedback(False, "współrzędna j = 3 należy do pary i = 1, więc 2i/dim = 2/8, a nie 4/8.")
    return Feedback(False, "PE[p, 2i+1] = cos(p / 10000^(2i/dim)); tu p = 2, j = 3 = 2·1 + 1, dim = 8.")


def check_2(uczone, sinusoidalne) -> Feedback:
    """Parametry osadzeń pozycji: uczone (kontekst 1024, wymiar 768) i sinusoidalne."""
    if uczone is None or sinusoidalne is None:
        return not_done("obie liczby")
    a, b = _number(uczone), _number(sinusoidalne)
    if a is None or b is None:
        return Feedback(False, "podaj dwie liczby całkowite.")
    ok_a, ok_b = a == 1024 * 768, b == 0
    if ok_a and ok_b:
        return Feedback(True, "786 432 uczone liczby w GPT-2 small i 0 dla sinusoid – te liczy się wzorem, niczego się nie uczy.")
    if not ok_a:
        return Feedback(False, "tabela pozycji ma wiersz (768 liczb) dla każdej z 1024 pozycji: pomnóż.")
    return Feedback(False, "kodowanie sinusoidalne to wzór, nie tabela uczona – ile ma parametrów do nauczenia?")


def check_3(prognoza, dim: int = 16) -> Feedback:
    """Prognoza ułamka poprawnie odczytanych tokenów (odczyt „osobno”) w wymiarze ``dim``."""
    if prognoza is None:
        return not_done("prognozę (liczbę od 0 do 1)")
    value = _number(prognoza)
    if value is None or not 0 <= value <= 1:
        return Feedback(False, "podaj ułamek od 0 do 1, np. 0.5 dla połowy.")
    measured = recovery_rate(dim)["token"]
    close = abs(value - measured) <= 0.15
    msg = f"zmierzony ułamek dla d = {dim}: {decimal_pl(measured, 2)}, prognoza: {decimal_pl(value, 2)}."
    if close:
        return Feedback(True, msg + " Trafna prognoza (±0,15).")
    hint = (f" Wynik jest za mały – {dim} wymiarów to już sporo miejsca." if value < measured
            else f" Wynik jest za duży – 1000 tokenów w {dim} wymiarach wciąż się myli.")
    return Feedback(False, msg + hint)


def check_4(iloczyn, dim: int = 16, distance: int = 3) -> Feedback:
    """``PE[p]·PE[p+3]`` dla ``dim = 16`` – ta sama liczba dla każdego ``p``."""
    if iloczyn is None:
        return not_done("liczbę")
    value = _number(iloczyn)
    if value is None:
        return Feedback(False, "podaj jedną liczbę.")
    ref = sum(math.cos(distance / 10000 ** (2 * i / dim)) for i in range(dim // 2))
    if abs(value - ref) < 1e-3:
        return Feedback(True, f"Σᵢ cos({distance}·ωᵢ) = {decimal_pl(ref, 4)} – sin a·sin b + cos a·cos b = cos(a − b), więc p znika.")
    return Feedback(False, f"policz (PE[p] * PE[p + {distance}]).sum() dla kilku p, albo wzorem Σᵢ cos({distance} / 10000^(2i/{dim})).")


# --------------------------------------------------------------------------- 5

ANSWERS_5 = ("wzrośnie", "spadnie", "bez zmian")


def check_5(prognoza, dim: int = 32, vocab_size: int = 10000) -> Feedback:
    """Prognoza po zmianie komórki doświadczenia: jak zmieni się odczyt tokenu „osobno” w wymiarze
    ``dim``, gdy słownik urośnie z 1000 do ``vocab_size`` tokenów?"""
    if prognoza is None:
        return not_done("prognozę")
    if not isinstance(prognoza, str) or prognoza.strip().lower() not in ANSWERS_5:
        return Feedback(False, "prognoza to jeden z napisów: \"wzrośnie\", \"spadnie\" albo \"bez zmian\".")
    before = recovery_rate(dim, vocab_size=1000, context_length=64, num_samples=500, seed=0)["token"]
    after = recovery_rate(dim, vocab_size=vocab_size, context_length=64, num_samples=500, seed=0)["token"]
    truth = "wzrośnie" if after > before + 0.01 else "spadnie" if after < before - 0.01 else "bez zmian"
    msg = f"przy d = {dim}: słownik 1000 → {decimal_pl(before, 3)}, słownik {vocab_size} → {decimal_pl(after, 3)}, czyli {truth}."
    if prognoza.strip().lower() == truth:
        return Feedback(True, msg + " Więcej wektorów tokenów w tej samej przestrzeni to więcej kandydatów, z którymi suma może się pomylić.")
    return Feedback(False, msg + " Pomyśl: ilu kandydatów ma odczyt „najbliższy wektor tokenu”, gdy słownik rośnie?")


# --------------------------------------------------------------------------- 6


def check_6(kat, k: int = 3, pair: int = 0, dim: int = 8) -> Feedback:
    """Kąt (w radianach), o jaki obraca się para ``pair`` sinusoid przy przejściu o ``k`` pozycji."""
    if kat is None:
        return not_done("kąt")
    value = _number(kat)
    if value is None:
        return Feedback(False, "podaj jedną liczbę – kąt w radianach.")
    omega = 1 / 10000 ** (2 * pair / dim)
    ref = k * omega
    if abs(value - ref) < 1e-3:
        return Feedback(True, f"kąt = k·ω_{pair} = {k}·{omega:g} = {decimal_pl(ref, 4)} rad – niezależnie od p, od którego zaczynamy.")
    if abs(value - math.degrees(ref)) < 1e-2:
        return Feedback(False, "to kąt w stopniach; podaj go w radianach (k·ω).")
    if abs(value - omega) < 1e-3:
        return Feedback(False, f"to obrót o jedną pozycję; przejście o {k} pozycji to {k} takie obroty.")
    return Feedback(False, f"para i obraca się o ω_i = 1/10000^(2i/d) na pozycję, więc o k·ω_i przy przejściu o k pozycji (tu k = {k}, i = {pair}, d = {dim}).")
