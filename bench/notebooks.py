"""Czas i pamięć każdego rozdziału: wykonanie od czystego jądra, jak u studenta.

Dla każdego ``chapters/*.ipynb`` mierzymy czas ściany od startu jądra do końca ostatniej komórki
(z importem torcha) i szczytową pamięć (RSS) procesu jądra – odczytaną przez samo jądro
z ``getrusage`` w dodatkowej komórce na końcu (niezapisywanej). Budżet: 20 s i 1 GB na rozdział
na 2 rdzeniach. Ostatnia linia to najgorszy rozdział.

Użycie: ``python bench/notebooks.py [notatniki...]``.
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

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 20.0
BUDGET_MB = 1024.0
PROBE = "import resource as _r; print('PEAK_KB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"


def measure(path: Path) -> tuple[float, float]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    peak_kb = int(text.split("PEAK_KB")[1].split()[0])
    return seconds, peak_kb / 1024


def main(argv: list[str]) -> int:
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    rows = []
    print(f"{'rozdział':<40} {'czas [s]':>9} {'pamięć [MB]':>12}  budżet")
    for path in paths:
        seconds, mb = measure(path)
        ok = seconds <= BUDGET_S and mb <= BUDGET_MB
        rows.append((path.name, seconds, mb))
        print(f"{path.name:<40} {seconds:>9.1f} {mb:>12.0f}  {'tak' if ok else 'PRZEKROCZONY'}")
    worst_t = max(rows, key=lambda r: r[1])
    worst_m = max(rows, key=lambda r: r[2])
    print(f"Najwolniejszy: {worst_t[0]} {worst_t[1]:.1f} s (budżet {BUDGET_S:.0f} s); "
          f"największa pamięć: {worst_m[0]} {worst_m[2]:.0f} MB (budżet {BUDGET_MB:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
