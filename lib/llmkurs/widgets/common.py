"""Wspólne narzędzia widżetów: bezpieczne rysowanie, polskie komunikaty, skracanie tekstu.

Wzorzec::

    def render(zdanie: str):
        ...                      # zwraca HTML, rysunek matplotlib, napis albo listę tych rzeczy
    interactive(render, zdanie=text_box("Oto fragment przykładowego wejścia"))

``render`` może zgłosić ``ValueError``/``TypeError`` z polskim zdaniem (np. przez
:func:`llmkurs.errors.require`): widżet pokaże to zdanie w miejscu wyniku i działa dalej.
"""

from __future__ import annotations

import html
import io
import sys
from collections.abc import Callable
from contextlib import contextmanager

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

#: Najdłuższy tekst, jaki widżety przetwarzają w całości; dłuższy skracamy z informacją.
MAX_WIDGET_CHARS = 2000


class ErrorMessage:
    """Polskie zdanie o błędzie, wyświetlane w widżecie zamiast wyniku."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return (
            '<div role="alert" style="border-left:4px solid #b45309;background:#fffbeb;'
            f'color:#78350f;padding:6px 10px;margin:4px 0">⚠️ {html.escape(self.text)}</div>'
        )

    def __repr__(self) -> str:
        return f"⚠️ {self.text}"


class Note(ErrorMessage):
    """Informacja (nie błąd), np. że tekst został skrócony."""

    def _repr_html_(self) -> str:
        return (
            '<div style="border-left:4px solid #1d4ed8;background:#eff6ff;color:#1e3a8a;'
            f'padding:6px 10px;margin:4px 0">ℹ️ {html.escape(self.text)}</div>'
        )

    def __repr__(self) -> str:
        return f"ℹ️ {self.text}"


class HtmlText:
    """Fragment HTML zwracany przez ``render`` (w widżecie jako HTML, w ``repr`` jako tekst)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return html.unescape(self.text)


def shorten(text: str, limit: int = MAX_WIDGET_CHARS) -> tuple[str, Note | None]:
    """Skróć ``text`` do ``limit`` znaków; zwróć też notkę dla czytelnika, jeśli skrócono."""
    if not isinstance(text, str):
        raise TypeError("Tekst musi być napisem (str).")
    if len(text) <= limit:
        return text, None
    return text[:limit], Note(f"Tekst ma {len(text):,} znaków; pokazuję pierwsze {limit:,}.".replace(",", " "))


def safe_render(render: Callable, **values):
    """Wywołaj ``render(**values)``; błąd studenta zamień na :class:`ErrorMessage`.

    ``ValueError`` i ``TypeError`` (z bibliotek: polskie zdanie) pokazujemy wprost; każdy inny
    wyjątek to błąd kursu, nie studenta – też go pokazujemy, ale z prośbą o zgłoszenie.
    """
    try:
        return render(**values)
    except (ValueError, TypeError) as err:
        return ErrorMessage(str(err))
    except Exception as err:  # noqa: BLE001 – widżet nie może się zepsuć
        return ErrorMessage(f"Nieoczekiwany błąd ({type(err).__name__}): zmień dane wejściowe; jeśli to nie pomaga, zgłoś to autorom kursu.")


def _show(content) -> None:
    if content is None:
        return
    if isinstance(content, (list, tuple)):
        for item in content:
            _show(item)
        return
    if isinstance(content, Figure):
        # Gotowy PNG zamiast obiektu rysunku: wyjście widżetu nie zależy od backendu
        # matplotlib, a wykonywanie notatnika nie zawiesza się na rysunkach w Output.
        buffer = io.BytesIO()
        content.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        plt.close(content)
        display(Image(data=buffer.getvalue(), format="png"))
        return
    if isinstance(content, str):
        display(HTML(content))
        return
    display(content)


@contextmanager
def one_thread():
    """Na czas przerysowania PyTorch liczy w jednym wątku, potem wraca poprzednia liczba wątków.

    Widżety liczą na malutkich tensorach (kilkanaście tokenów): tam koszt synchronizacji wątków
    przewyższa zysk, a na zajętej maszynie (Binder, Colab, 2 rdzenie) zmierzony czas odświeżenia
    spadał z 50–600 ms do 14–25 ms (``bench/widgets.py``).
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)


def interactive(render: Callable, *, title: str | None = None, layout: str = "vertical", **controls) -> W.VBox:
    """Połącz ``render`` z kontrolkami; przy każdej zmianie przerysuj wynik w bezpieczny sposób.

    Zwraca ``VBox`` (kontrolki nad wynikiem). ``box.render_now()`` przerysowuje ręcznie,
    ``box.controls`` to słownik kontrolek, ``box.output`` to obszar wyniku.
    """
    out = W.Output()

    def update(*_):
        values = {name: widget.value for name, widget in controls.items()}
        with one_thread():
            content = safe_render(render, **values)
        with out:
            out.clear_output(wait=True)
            _show(content)

    for widget in controls.values():
        widget.observe(update, names="value")
    header = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
    ctrl = W.VBox(list(controls.values())) if layout == "vertical" else W.HBox(list(controls.values()))
    box = W.VBox([*header, ctrl, out])
    box.controls = controls
    box.output = out
    box.render_now = update
    update()
    return box


def text_box(value: str = "Oto fragment przykładowego wejścia", description: str = "Zdanie:", *, wide: bool = True) -> W.Text:
    """Pole tekstowe na zdanie studenta (przerysowanie po każdej zmianie)."""
    return W.Text(value=value, description=description, continuous_update=False,
                  layout=W.Layout(width="95%" if wide else "auto"), style={"description_width": "initial"})


def text_area(value: str, description: str = "Tekst:", rows: int = 4) -> W.Textarea:
    """Wielowierszowe pole na dłuższy tekst studenta (przerysowanie po wyjściu z pola)."""
    return W.Textarea(value=value, description=description, continuous_update=False, rows=rows,
                      layout=W.Layout(width="95%"), style={"description_width": "initial"})


def int_slider(value: int, min: int, max: int, description: str, step: int = 1) -> W.IntSlider:  # noqa: A002
    """Suwak liczb całkowitych z polskim opisem (przerysowanie po puszczeniu)."""
    return W.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=False, style={"description_width": "initial"}, layout=W.Layout(width="95%"))


def float_slider(value: float, min: float, max: float, description: str, step: float = 0.05) -> W.FloatSlider:  # noqa: A002
    """Suwak liczb rzeczywistych z polskim opisem (przerysowanie po puszczeniu)."""
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=False, style={"description_width": "initial"}, layout=W.Layout(width="95%"))
