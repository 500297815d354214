"""Widżety kursu (ipywidgets): wspólne narzędzia w ``common``, widżety rozdziałów w ``chNN``.

Każdy widżet jest zbudowany z funkcji ``render(**wartości) -> treść`` (czysta funkcja, łatwa do
testowania) i z :func:`~llmkurs.widgets.common.interactive`, która wiąże ją z kontrolkami,
a błędy studenta pokazuje jako jedno polskie zdanie zamiast śladu stosu.
"""

from llmkurs.widgets.common import ErrorMessage, interactive, safe_render, shorten, text_box

__all__ = ["ErrorMessage", "interactive", "safe_render", "shorten", "text_box"]
