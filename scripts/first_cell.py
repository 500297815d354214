"""Wpisz wspólną pierwszą komórkę kodu do rozdziałów (adres repozytorium z ``_config.yml``).

Komórka w Colabie instaluje pakiet kursu ``llmkurs`` z repozytorium (bez ponownej instalacji
torcha, który Colab już ma); gdzie indziej nic nie robi. Zmienna środowiskowa
``LLMKURS_SOURCE`` wskazuje inne źródło (np. lokalny katalog) i wymusza instalację, gdy
``llmkurs`` nie da się zaimportować.

Gdy instalacja się nie uda (zły adres repozytorium, brak internetu), komórka zgłasza wyjątek
``BladInstalacji``, który IPython pokazuje jako jedno polskie zdanie z adresem i tym, co zmienić
(``_render_traceback_`` zamiast śladu stosu); „Uruchom wszystko” zatrzymuje się na tej komórce,
więc nie ma lawiny błędów ``NameError`` w następnych.

Użycie: ``python scripts/first_cell.py [--check] [notatniki...]`` (domyślnie ``chapters/*.ipynb``).
Z ``--check`` tylko sprawdza i kończy się kodem 1, gdy któraś komórka się różni. Adres zmienia
``make publish REPO=https://github.com/WŁAŚCICIEL/NAZWA`` (``scripts/publish.py``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "# Pierwsza komórka kursu (generowana przez scripts/first_cell.py – nie edytuj)."


def repository_url(config: Path = ROOT / "_config.yml") -> str:
    """Adres repozytorium z sekcji ``repository: url:`` w ``_config.yml``."""
    text = config.read_text(encoding="utf-8")
    match = re.search(r"^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*(\S+)", text, re.M)
    if not match:
        raise SystemExit("Brak repository.url w _config.yml.")
    return match.group(1).strip("\"'")


def cell_source(url: str | None = None) -> str:
    url = url or repository_url()
    return "\n".join([
        MARKER,
        "# W Colabie instaluje pakiet kursu (llmkurs) z repozytorium; gdzie indziej nic nie robi.",
        "import importlib.util",
        "import os",
        "import subprocess",
        "import sys",
        "",
        f'ZRODLO = os.environ.get("LLMKURS_SOURCE", "git+{url}.git")',
        'W_COLABIE = "google.colab" in sys.modules or "LLMKURS_SOURCE" in os.environ',
        'if W_COLABIE and importlib.util.find_spec("llmkurs") is None:',
        '    wynik = subprocess.run([sys.executable, "-m", "pip", "install", "-q", ZRODLO], capture_output=True, text=True)',
        "    if wynik.returncode != 0:",
        "        class BladInstalacji(Exception):",
        '            """Jedno zdanie zamiast śladu stosu; zatrzymuje „Uruchom wszystko” na tej komórce."""',
        "",
        "            def _render_traceback_(self):",
        "                return [str(self)]",
        "",
        "        raise BladInstalacji(",
        '            f"Nie udało się zainstalować pakietu kursu llmkurs z {ZRODLO}: jeśli to nie jest adres "',
        '            "repozytorium tego kursu, autor kursu ustawia właściwy poleceniem make publish "',
        '            "REPO=https://github.com/WŁAŚCICIEL/NAZWA (albo podaj źródło w zmiennej LLMKURS_SOURCE), "',
        '            "a jeśli jest – sprawdź, czy notatnik ma dostęp do internetu, i uruchom komórkę ponownie."',
        "        )",
        "    importlib.invalidate_caches()",
    ])


TAG = "remove-cell"  # strona jej nie pokazuje (czytelnik strony nic nie instaluje); Colab ją wykonuje


def _is_current(cell, source: str) -> bool:
    return cell.source == source and TAG in cell.get("metadata", {}).get("tags", [])


def apply(path: Path, check: bool = False, url: str | None = None) -> bool:
    """Wpisz komórkę do notatnika ``path``; zwróć True, jeśli była już aktualna.

    ``url`` – adres repozytorium (domyślnie z ``_config.yml`` obok skryptu).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    source = cell_source(url)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if code_cells and code_cells[0].source.startswith(MARKER):
        cell = code_cells[0]
        if _is_current(cell, source):
            return True
        if check:
            return False
        cell.source = source
    else:
        if check:
            return False
        cell = nbformat.v4.new_code_cell(source)
        index = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(index, cell)
    tags = cell.setdefault("metadata", {}).setdefault("tags", [])
    if TAG not in tags:
        tags.append(TAG)
    nbformat.write(nb, path)
    return False


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or sorted((ROOT / "chapters").glob("*.ipynb"))
    stale = [p for p in paths if not apply(p, check=check)]
    if check and stale:
        print("Nieaktualna pierwsza komórka w: " + ", ".join(str(p) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
