"""Błędy, które może spowodować student, i ich jednozdaniowe polskie komunikaty.

Wszystkie funkcje biblioteki sprawdzają dane na wejściu i zgłaszają ``ValueError`` albo
``TypeError`` z jednym zdaniem po polsku, które mówi, co zmienić. Widżety łapią te błędy
(patrz :func:`llmkurs.widgets.common.friendly`) i pokazują zdanie zamiast wykresu.
"""

from __future__ import annotations


class KursError(ValueError):
    """Błąd danych wejściowych z polskim komunikatem (podklasa ``ValueError``)."""


class KursTypeError(TypeError):
    """Zły typ danych wejściowych z polskim komunikatem (podklasa ``TypeError``)."""


def require(condition: bool, message: str) -> None:
    """Zgłoś :class:`KursError` z ``message``, jeśli ``condition`` nie jest spełniony."""
    if not condition:
        raise KursError(message)


def require_type(value, types, message: str) -> None:
    """Zgłoś :class:`KursTypeError` z ``message``, jeśli ``value`` nie jest typu ``types``."""
    if not isinstance(value, types):
        raise KursTypeError(message)
