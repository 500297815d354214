"""Ćwiczenia rozdziału 8 (wiele głów uwagi): kształty, podział na głowy, parametry, maska SDPA.

Każda funkcja ``check_N`` zwraca :class:`~llmkurs.exercises.common.Feedback` z polskim zdaniem
i nie rzuca wyjątków.
"""

from __future__ import annotations

import torch

from llmkurs.exercises.common import Feedback, not_done


def check_1(ksztalt) -> Feedback:
    """Kształt zapytań po ``view`` i ``transpose(1, 2)`` dla b=2, n=5, d_out=12, 3 głów."""
    if ksztalt is None:
        return not_done("kształt")
    try:
        shape = tuple(int(v) for v in ksztalt)
    except Exception:  # noqa: BLE001
        return Feedback(False, "podaj kształt jako krotkę liczb, np. (1, 2, 3, 4).")
    if shape == (2, 3, 5, 4):
        return Feedback(True, "(batch, głowy, tokeny, head_dim) = (2, 3, 5, 12 / 3).")
    if shape == (2, 5, 3, 4):
        return Feedback(False, "to kształt po samym view; transpose(1, 2) zamienia miejscami tokeny i głowy.")
    if len(shape) == 4 and shape[-1] == 12:
        return Feedback(False, "każda głowa dostaje head_dim = d_out / num_heads wymiarów, nie całe d_out.")
    if len(shape) != 4:
        return Feedback(False, "po podziale na głowy tensor ma cztery wymiary: (batch, głowy, tokeny, head_dim).")
    return Feedback(False, "kolejność to (batch, głowy, tokeny, head_dim), a head_dim = d_out / num_heads.")


def _reference_split(x: torch.Tensor, num_heads: int) -> torch.Tensor:
    b, n, d = x.shape
    return x.view(b, n, num_heads, d // num_heads).transpose(1, 2)


def check_2(split_heads) -> Feedback:
    """Funkcja ``split_heads(x, num_heads)``: ``(b, n, d_out)`` → ``(b, głowy, n, head_dim)``."""
    if split_heads is None:
        return not_done("funkcję")
    if not callable(split_heads):
        return Feedback(False, "podaj funkcję (def split_heads(x, num_heads): ...), nie jej wynik.")
    gen = torch.Generator().manual_seed(8)
    x = torch.randn(2, 5, 12, generator=gen)
    try:
        got = split_heads(x.clone(), 3)
        got1 = split_heads(x.clone(), 1)
    except Exception as err:  # noqa: BLE001
        return Feedback(False, f"funkcja zgłosiła błąd ({type(err).__name__}): sprawdź ją na torch.randn(2, 5, 12) i 3 głowach.")
    if not isinstance(got, torch.Tensor):
        return Feedback(False, "funkcja ma zwracać tensor.")
    ref = _reference_split(x, 3)
    if got.shape != ref.shape:
        return Feedback(False, f"kształt wyniku to {tuple(got.shape)}, a powinien być (2, 3, 5, 4) – (batch, głowy, tokeny, head_dim).")
    if torch.equal(got, x.reshape(2, 3, 5, 4)):
        return Feedback(False, "kształt się zgadza, ale view/reshape wprost do (b, głowy, n, head_dim) miesza tokeny: najpierw view(b, n, głowy, head_dim), potem transpose(1, 2).")
    if not torch.equal(got, ref):
        return Feedback(False, "kształt się zgadza, ale liczby nie: głowa h ma dostać kolumny h·head_dim … (h+1)·head_dim − 1 każdego tokenu.")
    if not isinstance(got1, torch.Tensor) or not torch.equal(got1, _reference_split(x, 1)):
        return Feedback(False, "dla jednej głowy wynik powinien mieć kształt (2, 1, 5, 12).")
    return Feedback(True, "głowa 0 dostaje pierwsze 4 kolumny każdego tokenu, głowa 1 – kolejne 4 itd.")


#: Liczba parametrów MultiHeadAttention(768, 768, ..., num_heads=12, qkv_bias=False).
PARAMS_GPT2_SMALL = 3 * 768 * 768 + 768 * 768 + 768


def check_3(liczba) -> Feedback:
    """Liczba parametrów ``MultiHeadAttention(768, 768, 1024, 0.0, num_heads=12)`` (bez biasu w Q, K, V)."""
    if liczba is None:
        return not_done("liczbę parametrów")
    if isinstance(liczba, bool) or not isinstance(liczba, (int, float)) or liczba != int(liczba):
        return Feedback(False, "odpowiedzią jest jedna liczba całkowita.")
    liczba = int(liczba)
    if liczba == PARAMS_GPT2_SMALL:
        return Feedback(True, "3·768·768 (W_query, W_key, W_value) + 768·768 + 768 (out_proj z biasem) = 2 360 064 – w konfiguracji książki, "
                              "bez obciążenia w Q, K, V. Prawdziwy GPT-2 ma te obciążenia (3·768 liczb więcej): 2 362 368.")
    if liczba == PARAMS_GPT2_SMALL + 3 * 768:
        return Feedback(False, "to liczba dla prawdziwego GPT-2 (z obciążeniem w Q, K, V); moduł z ćwiczenia ma qkv_bias=False.")
    if liczba == 4 * 768 * 768:
        return Feedback(False, "prawie: out_proj ma też bias (768 liczb).")
    if liczba == 3 * 768 * 768:
        return Feedback(False, "to tylko W_query, W_key i W_value; dolicz projekcję wyjściową out_proj (z biasem).")
    if liczba in (12 * PARAMS_GPT2_SMALL, 12 * 3 * 768 * 768 + 768 * 768 + 768):
        return Feedback(False, "głowy nie mają osobnych macierzy 768×768: dzielą jedną projekcję na 12 kawałków po 64 kolumny.")
    if liczba == PARAMS_GPT2_SMALL + 1024 * 1024:
        return Feedback(False, "maska to bufor, nie parametr – nie liczy się do parametrów.")
    return Feedback(False, "policz wagi trzech nn.Linear(768, 768, bias=False) i jednego nn.Linear(768, 768) z biasem; "
                           "sprawdź wynikiem sum(p.numel() for p in mha.parameters()).")


def check_4(maska) -> Feedback:
    """Logiczna maska ``attn_mask`` dla ``F.scaled_dot_product_attention`` (5 tokenów, uwaga przyczynowa)."""
    if maska is None:
        return not_done("maskę")
    if not isinstance(maska, torch.Tensor):
        return Feedback(False, "maska ma być tensorem torch, np. z torch.ones(5, 5, dtype=torch.bool).")
    if maska.shape != (5, 5):
        return Feedback(False, "dla 5 tokenów maska ma kształt (5, 5).")
    if maska.dtype != torch.bool:
        return Feedback(False, "użyj maski logicznej (dtype=torch.bool): liczby zmiennoprzecinkowe SDPA dodaje do wyników.")
    allowed = torch.tril(torch.ones(5, 5, dtype=torch.bool))
    if torch.equal(maska, allowed):
        return Feedback(True, "w F.scaled_dot_product_attention True znaczy „wolno patrzeć” – przekątna i przeszłość.")
    if torch.equal(maska, ~allowed):
        return Feedback(False, "to konwencja nn.MultiheadAttention (True = ukryj); w F.scaled_dot_product_attention True znaczy „wolno patrzeć”.")
    if torch.equal(maska, torch.tril(torch.ones(5, 5, dtype=torch.bool), diagonal=-1)):
        return Feedback(False, "token musi widzieć też samego siebie: przekątna ma być True.")
    return Feedback(False, "True ma stać na przekątnej i pod nią (tokeny, na które wolno patrzeć).")


__all__ = ["PARAMS_GPT2_SMALL", "check_1", "check_2", "check_3", "check_4"]


# --------------------------------------------------------------------------- 5 i 6


def check_5(liczba, d: int = 512, num_heads: int = 8) -> Feedback:
    """Liczba parametrów ``MultiHeadAttention(d, d, …, num_heads)`` po zmianie komórki na ``num_heads`` głów."""
    if liczba is None:
        return not_done("liczbę parametrów")
    if isinstance(liczba, bool) or not isinstance(liczba, (int, float)) or liczba != int(liczba):
        return Feedback(False, "odpowiedzią jest jedna liczba całkowita.")
    ref = 4 * d * d + d
    if int(liczba) == ref:
        return Feedback(True, f"{ref:,} – tyle samo co dla jednej głowy: {num_heads} głów po {d // num_heads} kolumn to te same macierze {d}×{d}, "
                              "tylko pocięte na kawałki. Więcej głów nie kosztuje parametrów.".replace(",", " "))
    if int(liczba) == num_heads * ref:
        return Feedback(False, "głowy nie mają osobnych pełnych macierzy: każda dostaje d/h kolumn tej samej projekcji.")
    return Feedback(False, "policz 3 macierze d×d (Q, K, V bez obciążenia) i out_proj d×d z obciążeniem – zależność od liczby głów?")


def check_6(glowa) -> Feedback:
    """Głowa nr 2 (od zera) po ``x.view(1, 3, 4, 1).transpose(1, 2)`` dla ``x = arange(12).view(1, 3, 4)``."""
    if glowa is None:
        return not_done("tensor głowy")
    try:
        t = torch.as_tensor(glowa, dtype=torch.float32).detach()
    except Exception:  # noqa: BLE001
        return Feedback(False, "podaj tensor (albo listę list liczb).")
    ref = torch.tensor([[2.0], [6.0], [10.0]])
    if t.shape == (3,) and torch.equal(t, ref.flatten()):
        t = t.reshape(3, 1)
    if tuple(t.shape) != (3, 1):
        return Feedback(False, f"głowa to macierz (tokeny, head_dim) = (3, 1), a odpowiedź ma kształt {tuple(t.shape)}.")
    if torch.equal(t, ref):
        return Feedback(True, "głowa 2 widzi trzecią liczbę każdego tokenu: 2, 6, 10 – każdy token oddaje każdej głowie swój kawałek.")
    if torch.equal(t, torch.tensor([[8.0], [9.0], [10.0]])):
        return Feedback(False, "to liczby jednego tokenu – tak działa błędne view bez transpose; głowa ma dostać po kawałku z każdego tokenu.")
    return Feedback(False, "przy 4 głowach head_dim = 1: głowa i dostaje kolumnę i każdego tokenu (token t ma liczby 4t … 4t+3).")
