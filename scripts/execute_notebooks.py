"""Wykonaj rozdziały w miejscu (po kolei, od czystego jądra) i zapisz je z wynikami.

Przed wykonaniem wpisuje wspólną pierwszą komórkę (``scripts/first_cell.py``). Zapisuje stan
widżetów (strona pokazuje ich stan początkowy) i nie zapisuje czasów wykonania, żeby notatniki
zmieniały się tylko wtedy, gdy zmienia się ich treść.

Użycie: ``python scripts/execute_notebooks.py [notatniki...]`` (domyślnie ``chapters/*.ipynb``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbclient.output_widget
import nbformat
from nbclient import NotebookClient

# nbclient (zgłoszenie #312): obsługa widżetu Output wysyła wiadomość do jądra w trakcie
# czekania na odpowiedź i wykonanie potrafi stanąć do końca limitu czasu. Stan widżetów
# zapisujemy i tak (store_widget_state), więc synchronizacja w trakcie nie jest potrzebna.
nbclient.output_widget.OutputWidget.sync_state = lambda self: None

sys.path.insert(0, str(Path(__file__).resolve().parent))
import first_cell  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, timeout: int = 180) -> float:
    first_cell.apply(path)
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))
    os.environ.setdefault("PYTHONHASHSEED", "0")  # jak w conftest.py i Makefile
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        seconds = execute(path)
        print(f"{path}: wykonany w {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
