"""Wspólne elementy ćwiczeń: informacja zwrotna po polsku.

Wzorzec w notatniku::

    odpowiedz = None   # ← wpisz tu swoją odpowiedź
    check_ex1(odpowiedz)

Funkcja sprawdzająca nie rzuca wyjątków: zła albo brakująca odpowiedź to ``Feedback(ok=False)``
z podpowiedzią, dobra to ``Feedback(ok=True)``. Testy w ``tests/`` sprawdzają, że rozwiązanie
przyjmuje, a typowe błędy odrzuca.
"""

from __future__ import annotations

import html


class Feedback:
    """Wynik sprawdzenia odpowiedzi: ``ok`` i polskie zdanie ``message``."""

    def __init__(self, ok: bool, message: str):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return ("✅ Dobrze! " if self.ok else "❌ Jeszcze nie: ") + self.message

    def _repr_html_(self) -> str:
        if self.ok:
            style = "border-left:4px solid #047857;background:#ecfdf5;color:#064e3b"
            head = "✅ Dobrze!"
        else:
            style = "border-left:4px solid #b45309;background:#fffbeb;color:#78350f"
            head = "❌ Jeszcze nie:"
        return f'<div role="status" style="{style};padding:6px 10px;margin:4px 0"><b>{head}</b> {html.escape(self.message)}</div>'


def feedback(ok: bool, success: str, hint: str) -> Feedback:
    """``Feedback`` z ``success`` przy dobrej odpowiedzi albo ``hint`` przy złej."""
    return Feedback(ok, success if ok else hint)


def not_done(what: str = "odpowiedź") -> Feedback:
    """Informacja, że student jeszcze nie uzupełnił komórki."""
    return Feedback(False, f"uzupełnij {what} w komórce powyżej (zamiast None) i uruchom ją ponownie.")
