"""Rozdział uruchomiony samotnie, jak w Colabie: pusty folder, brak pakietu, instalacja z LLMKURS_SOURCE.

Colab otwiera jeden notatnik i nic więcej z repozytorium. Sprawdzamy to naprawdę: nowe
środowisko wirtualne, w którym widać torch i resztę zależności (przez plik ``.pth`` wskazujący
site-packages projektu), ale NIE widać pakietu ``llmkurs``. Pierwsza komórka rozdziału musi go
zainstalować ze źródła z ``LLMKURS_SOURCE`` (tu: lokalny katalog repozytorium), a potem cały
rozdział musi się wykonać bez błędu w pustym folderze.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbclient.output_widget
import nbformat
import pytest
from nbclient import NotebookClient

# nbclient (#312): synchronizacja widżetu Output w trakcie czekania na odpowiedź jądra potrafi
# zatrzymać wykonanie do końca limitu czasu; tak samo łatamy to w scripts/execute_notebooks.py.
nbclient.output_widget.OutputWidget.sync_state = lambda self: None

ROOT = Path(__file__).resolve().parents[1]
PREFERRED = "01-tokenizacja.ipynb"


def _chapter() -> Path:
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if not chapters:
        pytest.skip("Brak rozdziałów w chapters/.")
    preferred = ROOT / "chapters" / PREFERRED
    return preferred if preferred.exists() else chapters[0]


def _make_env(tmp: Path) -> tuple[Path, Path]:
    """Środowisko bez llmkurs, ale z zależnościami projektu; zwraca (python, JUPYTER_PATH)."""
    venv = tmp / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # Linia w .pth tylko dopisuje katalog do sys.path; pliki .pth w nim (w tym ten, który
    # instaluje llmkurs w trybie edytowalnym) nie są wykonywane – llmkurs pozostaje niewidoczny.
    Path(purelib, "_zaleznosci_projektu.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    kernels = tmp / "jupyter" / "kernels" / "colab-symulacja"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Symulacja Colaba",
        "language": "python",
    }))
    return python, tmp / "jupyter"


def test_chapter_runs_alone_and_installs_the_package(tmp_path, monkeypatch):
    python, jupyter_path = _make_env(tmp_path)
    probe = subprocess.run([str(python), "-c", "import llmkurs"], capture_output=True, text=True)
    assert probe.returncode != 0, "llmkurs nie powinien być widoczny przed pierwszą komórką"
    assert subprocess.run([str(python), "-c", "import torch, ipykernel"], capture_output=True).returncode == 0

    alone = tmp_path / "pusty-folder"
    alone.mkdir()
    chapter = _chapter()
    shutil.copy(chapter, alone / chapter.name)
    assert [p.name for p in alone.iterdir()] == [chapter.name]

    monkeypatch.setenv("LLMKURS_SOURCE", str(ROOT))
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setenv("PIP_CACHE_DIR", str(tmp_path / "pip-cache"))
    nb = nbformat.read(alone / chapter.name, as_version=4)
    client = NotebookClient(nb, kernel_name="colab-symulacja", timeout=180,
                            resources={"metadata": {"path": str(alone)}})
    client.execute()  # CellExecutionError, jeśli któraś komórka zgłosi błąd

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    where = subprocess.run([str(python), "-c", "import llmkurs; print(llmkurs.__file__)"],
                           check=True, capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(tmp_path / "venv")), where  # zainstalowany przez pierwszą komórkę
    # Dane pakietu (korpus) przyjechały razem z nim.
    n_files = subprocess.run([str(python), "-c", "from llmkurs.corpus import corpus_files; print(len(corpus_files()))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert int(n_files) >= 10
    assert os.listdir(alone) == [chapter.name] or all(not p.endswith(".py") for p in os.listdir(alone))
