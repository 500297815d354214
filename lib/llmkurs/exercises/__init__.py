"""Ćwiczenia kursu: funkcje sprawdzające (po polsku) dla każdego rozdziału w ``chNN``.

Każda funkcja ``check_...`` zwraca :class:`~llmkurs.exercises.common.Feedback` (wyświetla się
jako zielona albo pomarańczowa ramka; ``.ok`` mówi, czy odpowiedź jest poprawna).
"""

from llmkurs.exercises.common import Feedback, feedback, not_done

__all__ = ["Feedback", "feedback", "not_done"]
