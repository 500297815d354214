"""Ćwiczenia rozdziału 7 (dropout w uwadze): skala ocalałych, tryb ewaluacji, własny dropout.

Każda funkcja ``check_N`` zwraca :class:`~llmkurs.exercises.common.Feedback` z polskim zdaniem
i nie rzuca wyjątków.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from llmkurs.exercises.common import Feedback, not_done
from llmkurs.polish import decimal_pl


def check_1(wartosc) -> Feedback:
    """Wartość ocalałych jedynek po ``nn.Dropout(0.2)`` w trybie treningu."""
    if wartosc is None:
        return not_done("wartość")
    if isinstance(wartosc, bool) or not isinstance(wartosc, (int, float)):
        return Feedback(False, "odpowiedzią jest jedna liczba, np. 1.5.")
    if abs(wartosc - 1.25) < 1e-3:
        return Feedback(True, "1 / (1 − 0,2) = 1,25 – ocalałe wagi rosną, żeby średnia się nie zmieniła.")
    if abs(wartosc - 1.0) < 1e-3:
        return Feedback(False, "w trybie treningu ocalałe wartości nie zostają bez zmian: PyTorch je skaluje.")
    if abs(wartosc - 0.8) < 1e-3:
        return Feedback(False, "mnożymy nie przez (1 − p), tylko dzielimy przez (1 − p).")
    if abs(wartosc - 5.0) < 1e-3:
        return Feedback(False, "dzielimy przez (1 − p) = 0,8, nie przez p = 0,2.")
    return Feedback(False, "ocalałe wartości dzielimy przez 1 − p.")


def _modules_training(module: nn.Module) -> bool:
    return any(m.training for m in module.modules())


def check_2(modul) -> Feedback:
    """Moduł uwagi z dropoutem przełączony tak, by dwa wywołania dawały ten sam wynik."""
    if modul is None:
        return not_done("moduł")
    if not isinstance(modul, nn.Module):
        return Feedback(False, "podaj moduł (obiekt CausalAttention), a nie wynik jego wywołania.")
    dropouts = [m for m in modul.modules() if isinstance(m, nn.Dropout)]
    if dropouts and all(m.p == 0 for m in dropouts) and _modules_training(modul):
        return Feedback(False, "zerowanie p działa, ale zmienia model; do przewidywania przełącz go w tryb ewaluacji: modul.eval().")
    if _modules_training(modul):
        return Feedback(False, "moduł jest w trybie treningu (modul.training == True), więc dropout losuje przy każdym wywołaniu: użyj modul.eval().")
    try:
        x = torch.rand(1, 3, modul.d_in, generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            same = torch.equal(modul(x), modul(x))
    except Exception:  # noqa: BLE001
        return Feedback(False, "nie udało się wywołać modułu na wejściu (1, 3, d_in) – czy to CausalAttention z rozdziału?")
    if not same:
        return Feedback(False, "dwa wywołania dają różne wyniki – coś dalej losuje.")
    return Feedback(True, "w trybie ewaluacji dropout nic nie robi, więc wynik jest powtarzalny.")


def check_3(funkcja) -> Feedback:
    """Własny dropout ``funkcja(x, p)``: zeruje z prawdopodobieństwem ``p``, resztę dzieli przez ``1 − p``."""
    if funkcja is None:
        return not_done("funkcję")
    if not callable(funkcja):
        return Feedback(False, "podaj funkcję (def moj_dropout(x, p): ...), nie jej wynik.")
    p = 0.2
    x = torch.ones(100_000)
    original = x.clone()
    try:
        with torch.random.fork_rng(devices=[]):       # losowanie sprawdzarki nie rusza stanu studenta
            torch.manual_seed(0)
            y = funkcja(x, p)
            y3 = funkcja(torch.ones(2, 3, 4), 0.5)
            y0 = funkcja(torch.arange(6.0), 0.0)
            torch.manual_seed(1)
            y_again = funkcja(x, p)
    except Exception as err:  # noqa: BLE001
        return Feedback(False, f"funkcja zgłosiła błąd ({type(err).__name__}): sprawdź ją na torch.ones(10) i p = 0.2.")
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        return Feedback(False, "funkcja ma zwracać tensor tego samego kształtu co x.")
    if not torch.equal(x, original):
        return Feedback(False, "funkcja zmienia x w miejscu; zwróć nowy tensor, a x zostaw bez zmian.")
    if not isinstance(y3, torch.Tensor) or y3.shape != (2, 3, 4):
        return Feedback(False, "funkcja ma działać dla tensorów dowolnego kształtu, np. (2, 3, 4).")
    zero_frac = float((y == 0).float().mean())
    survivors = y[y != 0]
    if abs(zero_frac - (1 - p)) < 0.02:
        return Feedback(False, "zerujesz z prawdopodobieństwem 1 − p; p to szansa na wyzerowanie, nie na przeżycie.")
    if abs(zero_frac - p) > 0.02:
        return Feedback(False, f"odsetek zer to {decimal_pl(zero_frac, 3)}, a powinien być bliski p = {p}.")
    if survivors.numel() and torch.allclose(survivors, torch.ones_like(survivors)):
        return Feedback(False, "zera są, ale ocaleni zostali równi 1: podziel ich przez (1 − p).")
    if survivors.numel() and torch.allclose(survivors, torch.full_like(survivors, 1 - p)):
        return Feedback(False, "ocalałe mnożysz przez (1 − p), a trzeba przez nią dzielić.")
    if not (survivors.numel() and torch.allclose(survivors, torch.full_like(survivors, 1 / (1 - p)))):
        return Feedback(False, "ocalałe jedynki powinny mieć wartość 1 / (1 − p) = 1,25.")
    if not isinstance(y0, torch.Tensor) or not torch.allclose(y0, torch.arange(6.0)):
        return Feedback(False, "dla p = 0 funkcja powinna zwracać x bez zmian.")
    if not isinstance(y_again, torch.Tensor) or torch.equal((y_again == 0), (y == 0)):
        return Feedback(False, "wzór zer jest za każdym razem ten sam: dropout ma losować, które elementy zerować (np. torch.rand_like(x) >= p).")
    halves = (y[: len(y) // 2] == 0).float().mean(), (y[len(y) // 2:] == 0).float().mean()
    pairs = ((y[0::2] == 0) & (y[1::2] == 0)).float().mean()
    if abs(float(halves[0]) - float(halves[1])) > 0.02 or abs(float(pairs) - p * p) > 0.02:
        return Feedback(False, "zera nie są rozłożone niezależnie (np. całe fragmenty albo pary naraz): każdy element losuj osobno.")
    return Feedback(True, f"około {decimal_pl(100 * (zero_frac), 1)} % zer, ocalałe równe 1,25; średnia {decimal_pl(float(y.mean()), 3)} ≈ 1.")




def check_4(odsetek) -> Feedback:
    """Prognoza po zmianie komórki 10 000 losowań na ``nn.Dropout(0.9)``: odsetek wyzerowanych widocznych wag."""
    if odsetek is None:
        return not_done("odsetek (liczbę od 0 do 1)")
    try:
        value = float(odsetek)
    except (TypeError, ValueError):
        return Feedback(False, "podaj jedną liczbę od 0 do 1, np. 0.25.")
    if isinstance(odsetek, bool) or not 0 <= value <= 1:
        return Feedback(False, "odsetek to liczba od 0 do 1 (nie procenty).")
    if abs(value - 0.9) <= 0.01:
        return Feedback(True, "około 90% zer; ocalałe wagi są 10 razy większe (1 / (1 − 0,9)), więc średnia wciąż jest bliska wag bez dropoutu – tylko szum losowania rośnie.")
    if abs(value - 0.1) <= 0.01:
        return Feedback(False, "0,1 to szansa przeżycia; p = 0,9 to szansa wyzerowania.")
    return Feedback(False, "odsetek zer to w przybliżeniu p – prawdopodobieństwo wyzerowania każdej wagi.")


def check_5(prawdopodobienstwo, p: float = 0.3, widoczne: int = 3) -> Feedback:
    """Prawdopodobieństwo, że wiersz z ``widoczne`` widocznymi wagami zostanie wyzerowany w całości przy dropoucie ``p``."""
    if prawdopodobienstwo is None:
        return not_done("prawdopodobieństwo")
    try:
        value = float(prawdopodobienstwo)
    except (TypeError, ValueError):
        return Feedback(False, "podaj jedną liczbę od 0 do 1.")
    ref = p ** widoczne
    if abs(value - ref) < 1e-4:
        return Feedback(True, f"p^{widoczne} = {decimal_pl(ref, 4)}: każda z {widoczne} wag znika niezależnie. Taki wiersz daje wektor kontekstu zero – token w tym kroku „nic nie widzi”.")
    if abs(value - p) < 1e-4:
        return Feedback(False, f"to szansa wyzerowania jednej wagi; wiersz ma ich {widoczne} i wszystkie muszą zniknąć naraz.")
    if abs(value - widoczne * p) < 1e-4 or abs(value - (1 - p) ** widoczne) < 1e-4:
        return Feedback(False, "zdarzenia są niezależne i muszą zajść wszystkie: pomnóż prawdopodobieństwa (p · p · …).")
    return Feedback(False, f"każda widoczna waga znika z prawdopodobieństwem p = {p}; ile wynosi szansa, że znikną wszystkie {widoczne}?")


__all__ = ["check_1", "check_2", "check_3", "check_4", "check_5"]
