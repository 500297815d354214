"""Ćwiczenia rozdziału 2 (Osadzenia): funkcje sprawdzające z informacją zwrotną po polsku.

1. :func:`check_1` – wektor tokenu o ID 3 z tabeli z książki (``manual_seed(123)``,
   ``nn.Embedding(6, 3)``), otrzymany mnożeniem wektora „jeden z n” przez macierz wag.
2. :func:`check_2` – podobieństwo kosinusowe „kot” i „samochód” z zabawkowych wektorów 2-D.
3. :func:`check_3` – dwa najbliższe tokeny słowa „ pies” w wytrenowanej tabeli.
4. :func:`check_4` – liczba parametrów tabeli osadzeń GPT-2 (50 257 × 768),
5. :func:`check_5` – trening z innym oknem albo wymiarem i prognoza: pies bliżej kota czy dalej?
6. :func:`check_6` – zmieniony zabawkowy wektor „pies”, prostopadły do „kota”.
"""

from __future__ import annotations

import math

import torch

from llmkurs.embeddings import nearest_neighbors, token_label
from llmkurs.exercises.common import Feedback, feedback, not_done
from llmkurs.polish import decimal_pl

#: Zabawkowe wektory 2-D z rozdziału (pierwszy z notatek: „kot” → [1.2, 5.3]).
TOY_VECTORS = {"kot": (1.2, 5.3), "pies": (2.0, 4.4), "samochód": (4.9, -0.8), "rower": (4.2, 0.3)}


def _book_table() -> torch.Tensor:
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(123)
        return torch.nn.Embedding(6, 3).weight.detach().clone()
    finally:
        torch.random.set_rng_state(state)


def _as_tensor(value):
    if isinstance(value, torch.Tensor):
        return value.detach().float()
    try:
        return torch.tensor(value, dtype=torch.float32)
    except (TypeError, ValueError):
        return None


def check_1(wektor) -> Feedback:
    """Wektor ID 3 jako iloczyn one-hot × macierz wag tabeli z książki."""
    if wektor is None:
        return not_done("wektor")
    got = _as_tensor(wektor)
    if got is None:
        return Feedback(False, "podaj tensor (albo listę trzech liczb).")
    got = got.reshape(-1)
    table = _book_table()
    if got.numel() != 3:
        return Feedback(False, f"wynik ma {got.numel()} liczb, a wiersz tabeli ma 3: wektor one-hot (6 liczb) pomnóż przez macierz 6 × 3.")
    if torch.allclose(got, table[3], atol=1e-4):
        return Feedback(True, f"to wiersz nr 3 tabeli: {[round(v, 4) for v in table[3].tolist()]} – mnożenie przez one-hot tylko wybiera wiersz.")
    for i in range(6):
        if torch.allclose(got, table[i], atol=1e-4):
            return Feedback(False, f"to wiersz nr {i}; jedynka w wektorze one-hot ma stać na miejscu 3 (licząc od zera).")
    return Feedback(False, "to nie jest żaden wiersz tabeli: utwórz tabelę zaraz po torch.manual_seed(123) i użyj jej .weight.")


def check_2(podobienstwo) -> Feedback:
    """cos(kot, samochód) dla wektorów z :data:`TOY_VECTORS`."""
    if podobienstwo is None:
        return not_done("podobieństwo")
    try:
        value = float(podobienstwo)
    except (TypeError, ValueError):
        return Feedback(False, "podaj jedną liczbę (np. float albo tensor z jedną liczbą).")
    (a1, a2), (b1, b2) = TOY_VECTORS["kot"], TOY_VECTORS["samochód"]
    dot = a1 * b1 + a2 * b2
    ref = dot / (math.hypot(a1, a2) * math.hypot(b1, b2))
    if abs(value - ref) < 1e-3:
        return Feedback(True, f"cos = {decimal_pl(ref, 4)}: wektory są prawie prostopadłe, więc „kot” i „samochód” są mało podobne.")
    if abs(value - dot) < 1e-3:
        return Feedback(False, f"{decimal_pl(dot, 2)} to sam iloczyn skalarny; podziel go przez iloczyn długości wektorów.")
    return Feedback(False, "cos(a, b) = (a₁b₁ + a₂b₂) / (|a|·|b|), gdzie |a| = √(a₁² + a₂²).")


def _as_ids(answer, tokenizer):
    ids = []
    for item in answer:
        if isinstance(item, str):
            piece = item if not item.startswith(" ") else "Ġ" + item[1:]
            matches = [i for i in range(tokenizer.vocab_size) if token_label(tokenizer, i) == piece]
            if not matches:
                return None
            ids.append(matches[0])
        else:
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                return None
    return ids


def check_3(odpowiedz, weights, tokenizer, candidates=None, word: str = " pies") -> Feedback:
    """Dwa najbliższe (kosinusowo) tokeny słowa ``word`` – jako ID albo etykiety (np. "Ġkot")."""
    if odpowiedz is None:
        return not_done("listę dwóch tokenów")
    if isinstance(odpowiedz, (str, int)) or not hasattr(odpowiedz, "__iter__"):
        return Feedback(False, "podaj listę dwóch tokenów, np. [504, 714] albo [\"Ġkot\", \"Ġkota\"].")
    answer = list(odpowiedz)
    if len(answer) != 2:
        return Feedback(False, f"lista ma {len(answer)} elementów, a potrzebne są dokładnie dwa tokeny.")
    ids = _as_ids(answer, tokenizer)
    if ids is None:
        return Feedback(False, "nie rozpoznaję któregoś tokenu: podaj ID (liczby) albo etykiety jak \"Ġkot\".")
    query = tokenizer.encode(word)[0]
    ref, sims = nearest_neighbors(weights, int(query), k=2, candidates=candidates)
    names = [token_label(tokenizer, i) for i in ref]
    if ids == ref or ids == ref[::-1]:
        return Feedback(True, f"najbliżej „{token_label(tokenizer, query)}” leżą {names[0]} ({decimal_pl(sims[0], 3)}) i {names[1]} ({decimal_pl(sims[1], 3)}).")
    if int(query) in ids:
        return Feedback(False, "token jest zawsze najbliżej samego siebie (cos = 1) – pomiń go.")
    return Feedback(False, "użyj nearest_neighbors(E, id, k=2, candidates=czeste) albo posortuj cosine_similarities(E, id) malejąco (bez samego tokenu).")


def check_4(liczba) -> Feedback:
    """Liczba parametrów ``nn.Embedding(50257, 768)`` (osadzenia tokenów GPT-2 small)."""
    if liczba is None:
        return not_done("liczbę parametrów")
    try:
        value = int(liczba)
    except (TypeError, ValueError):
        return Feedback(False, "podaj jedną liczbę całkowitą.")
    ref = 50257 * 768
    if value == ref:
        return Feedback(True, f"{ref:,} parametrów – to ok. 31% z 124 mln parametrów GPT-2 small.".replace(",", " "))
    if value == 50257 + 768:
        return Feedback(False, "tabela ma wiersz (768 liczb) dla każdego z 50 257 tokenów: pomnóż, a nie dodawaj.")
    return feedback(False, "", "policz wiersze × kolumny tabeli: rozmiar słownika × wymiar osadzenia.")


# --------------------------------------------------------------------------- 5

ANSWERS_5 = ("bliżej", "dalej", "tak samo")


def neighbor_rank(weights, query_id: int, other_id: int, candidates=None) -> int:
    """Miejsce tokenu ``other_id`` na liście sąsiadów ``query_id`` (1 = najbliższy) wśród ``candidates``."""
    from llmkurs.embeddings import cosine_similarities

    sims = cosine_similarities(weights, int(query_id))
    pool = torch.arange(sims.shape[0]) if candidates is None else torch.as_tensor(list(candidates))
    pool = pool[pool != int(query_id)]
    return int((sims[pool] > sims[int(other_id)]).sum()) + 1


def check_5(nowa_tabela, prognoza, weights, tokenizer, candidates=None, words=(" kot", " pies")) -> Feedback:
    """Tabela z treningu z innym ``window`` albo ``dim`` i prognoza: czy „pies” stanie bliżej
    „kota” (wyżej na liście sąsiadów) niż w tabeli ``weights`` z rozdziału?"""
    if nowa_tabela is None or prognoza is None:
        return not_done("nową tabelę i prognozę")
    if not isinstance(nowa_tabela, torch.Tensor) or nowa_tabela.dim() != 2:
        return Feedback(False, "nowa tabela to tensor 2-D: wynik[\"trained\"] z train_embeddings(...).")
    if nowa_tabela.shape[0] != weights.shape[0]:
        return Feedback(False, f"nowa tabela ma {nowa_tabela.shape[0]} wierszy, a słownik {weights.shape[0]}: trenuj na tych samych ids i tok.vocab_size.")
    if nowa_tabela.shape == weights.shape and torch.allclose(nowa_tabela.float(), weights.float()):
        return Feedback(False, "to ta sama tabela co w rozdziale: zmień window albo dim w wywołaniu train_embeddings i trenuj od nowa.")
    if not isinstance(prognoza, str) or prognoza.strip().lower() not in ANSWERS_5:
        return Feedback(False, "prognoza to jeden z napisów: \"bliżej\", \"dalej\" albo \"tak samo\".")
    a, b = (tokenizer.encode(w)[0] for w in words)
    old, new = neighbor_rank(weights, a, b, candidates), neighbor_rank(nowa_tabela.detach().float(), a, b, candidates)
    truth = "bliżej" if new < old else "dalej" if new > old else "tak samo"
    msg = f"„pies” jest na liście sąsiadów „kota” na miejscu {new} (w tabeli z rozdziału: {old}), czyli {truth}."
    if prognoza.strip().lower() == truth:
        return Feedback(True, msg + " Szersze okno daje sąsiadów „tematycznych”, węższe – „składniowych”; mniejszy wymiar zmusza do ściskania informacji.")
    return Feedback(False, msg + " Prognoza się nie sprawdziła – zastanów się, co zmienia szersze okno albo mniejszy wymiar, i spróbuj innego ustawienia.")


# --------------------------------------------------------------------------- 6


def check_6(tabela) -> Feedback:
    """Zabawkowa tabela z rozdziału po zmianie: wektor „pies” prostopadły do „kota”, „kot” bez zmian."""
    if tabela is None:
        return not_done("tabelę zabawkowe")
    try:
        kot = [float(v) for v in tabela["kot"][1]]
        pies = [float(v) for v in tabela["pies"][1]]
    except (TypeError, KeyError, IndexError, ValueError):
        return Feedback(False, "podaj słownik zabawkowe z komórki rozdziału: słowo → (ID, [x, y]).")
    if len(kot) != 2 or len(pies) != 2:
        return Feedback(False, "wektory w zabawkowej tabeli mają po dwie liczby.")
    if kot != list(TOY_VECTORS["kot"]):
        return Feedback(False, "zostaw wektor „kot” z notatek, [1.2, 5.3]; zmień tylko „pies”.")
    norm = math.hypot(*pies)
    if norm < 1e-9:
        return Feedback(False, "wektor zerowy nie ma kierunku (kosinus nie jest określony): wybierz niezerowy.")
    cos = (kot[0] * pies[0] + kot[1] * pies[1]) / (math.hypot(*kot) * norm)
    if abs(cos) < 1e-3:
        return Feedback(True, f"cos(kot, pies) = {decimal_pl(cos, 4)}: strzałki tworzą kąt prosty, np. [5.3, −1.2] albo [−5.3, 1.2]. "
                              "Przywróć potem [2.0, 4.4] i uruchom komórki ponownie.")
    return Feedback(False, f"cos(kot, pies) = {decimal_pl(cos, 3)}, a ma być 0: iloczyn skalarny 1,2·x + 5,3·y musi się zerować (np. zamień współrzędne i jedną zaneguj).")
