"""Zainstaluj PyTorcha w wersji CPU (wersja z ``requirements.txt``) na każdym obsługiwanym Pythonie.

Z samego PyPI ``torch==X`` na Linuksie to koło z CUDA (kilka GB, kilkanaście pakietów
``nvidia-*``). Koła CPU leżą w indeksie PyTorcha (:data:`TORCH_INDEX`) z wersją ``X+cpu``; podany
jako *dodatkowy* indeks (``--extra-index-url``) wygrywa z PyPI, bo ``X+cpu`` jest według PEP 440
wyższą wersją niż ``X``. Gdzie indeks PyTorcha jest nieosiągalny (maszyny projektu widzą tylko
PyPI), pip po jednej próbie go pomija i bierze lokalne koło CPU (``find-links`` w konfiguracji
pip). Najpierw pytamy pip na sucho (``--dry-run --report``), które koło by wybrał: jeśli to koło
z CUDA (jego zależności to pakiety ``nvidia-*``), kończymy z polskim komunikatem zamiast pobierać
gigabajty. Sam torch instalujemy bez zależności (``--no-deps``): resztę (sympy, networkx, …)
dobiera potem ``pip install -r requirements.txt`` z PyPI, bez pytania indeksu PyTorcha.

Użycie: ``python scripts/install_torch_cpu.py`` (wywołuje je ``make``; indeks zmienia zmienna
``TORCH_INDEX``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH_INDEX = os.environ.get("TORCH_INDEX", "https://download.pytorch.org/whl/cpu")


def torch_pin(requirements: Path = ROOT / "requirements.txt") -> str:
    """Linia ``torch==…`` z ``requirements.txt``."""
    for line in requirements.read_text(encoding="utf-8").splitlines():
        if re.match(r"^torch\s*==", line):
            return line.split("#")[0].strip()
    raise SystemExit("Brak linii torch==… w requirements.txt.")


def cuda_packages(names) -> list[str]:
    """Pakiety, które przychodzą tylko z kołem torcha z CUDA."""
    return sorted(n for n in names if n.lower().startswith(("nvidia-", "triton", "cuda-")))


def main() -> int:
    pin = torch_pin()
    installed = cuda_packages(d.metadata["Name"] or "" for d in metadata.distributions())
    if installed:
        print(f"Uwaga: w tym środowisku jest już PyTorch z CUDA ({', '.join(installed[:3])}…); "
              "usuń folder .venv i uruchom make jeszcze raz, żeby dostać wersję CPU.", file=sys.stderr)
    cmd = [sys.executable, "-m", "pip", "install", "--retries", "1", "--no-deps", "--extra-index-url", TORCH_INDEX, pin]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "raport.json"
        dry = subprocess.run([*cmd, "--quiet", "--dry-run", "--report", str(report)], capture_output=True, text=True)
        if dry.returncode != 0:
            print(dry.stderr[-3000:], file=sys.stderr)
            print(f"Nie udało się znaleźć koła {pin}: sprawdź dostęp do PyPI i {TORCH_INDEX}.", file=sys.stderr)
            return 1
        plan = json.loads(report.read_text(encoding="utf-8"))["install"]
    torch = [item for item in plan if item["metadata"]["name"].lower() == "torch"]
    requires = [re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0] for t in torch for r in t["metadata"].get("requires_dist", [])]
    cuda = cuda_packages(requires)
    if cuda:
        print(f"pip zainstalowałby {pin} z CUDA (wymaga m.in. {cuda[0]}, razem kilka GB), bo indeks kół CPU "
              f"{TORCH_INDEX} nie odpowiada albo nie ma koła dla Pythona {sys.version_info.major}."
              f"{sys.version_info.minor}: sprawdź połączenie z tym indeksem albo ustaw TORCH_INDEX na inny "
              "indeks kół CPU.", file=sys.stderr)
        return 1
    if not torch:
        print(f"{pin} w wersji CPU jest już zainstalowany.")
        return 0
    url = torch[0].get("download_info", {}).get("url", "")
    print(f"Instaluję torch {torch[0]['metadata']['version']} (CPU) z {url.rsplit('/', 1)[0] or 'dysku'}.")
    return subprocess.run([*cmd, "--quiet"]).returncode


if __name__ == "__main__":
    sys.exit(main())
