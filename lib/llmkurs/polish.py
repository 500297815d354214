"""Polska typografia w tekstach, które pakiet pokazuje studentom: liczebniki i przecinek dziesiętny."""

from __future__ import annotations


def plural_pl(n: int, one: str, few: str, many: str) -> str:
    """Liczba z rzeczownikiem w dobrej formie: ``plural_pl(3, "token", "tokeny", "tokenów")``.

    1 token, 2–4 tokeny, 5–21 tokenów, 22–24 tokeny, 25 tokenów, 112 tokenów…
    """
    n = int(n)
    if n == 1:
        word = one
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{n} {word}"


def decimal_pl(x: float, digits: int = 2) -> str:
    """Liczba z przecinkiem dziesiętnym: ``decimal_pl(0.5) == "0,50"``."""
    return f"{x:.{digits}f}".replace(".", ",")
