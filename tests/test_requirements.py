"""Zależności: te same wersje w ``requirements.txt`` i ``binder/requirements.txt``, torch w wersji CPU.

Binder (repo2docker) czyta ``binder/`` zamiast głównego ``requirements.txt``; gdyby wersje się
rozjechały, rozdziały zapisane z jednymi wersjami liczyłyby w Binderze innymi.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import install_torch_cpu  # noqa: E402

SUPPORTED = [(3, 11), (3, 12), (3, 13), (3, 14)]


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """``{nazwa: wersja}`` z linii ``nazwa==wersja`` (bez lokalnej etykiety ``+cpu``)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;+]+)(\+\w+)?", line)
        assert match, f"{path.name}: linia {line!r} nie przypina dokładnej wersji (nazwa==wersja)"
        out[_normalize(match.group(1))] = match.group(2)
    return out


def test_binder_pins_the_same_versions_as_requirements():
    main, binder = pins(ROOT / "requirements.txt"), pins(ROOT / "binder" / "requirements.txt")
    assert binder, "binder/requirements.txt nic nie przypina"
    different = {n: (v, main.get(n)) for n, v in binder.items() if main.get(n) != v}
    assert different == {}, f"binder/requirements.txt ma inne wersje niż requirements.txt: {different}"


def test_binder_has_every_runtime_dependency_and_cpu_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = {_normalize(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    binder_text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert needed <= set(pins(ROOT / "binder" / "requirements.txt")) | {"ipykernel"}
    assert re.search(r"^torch==[\d.]+\+cpu$", binder_text, re.M), "Binder: torch w wersji CPU (+cpu)"
    assert f"--extra-index-url {install_torch_cpu.TORCH_INDEX}" in binder_text
    assert needed <= set(pins(ROOT / "requirements.txt"))


def test_supported_pythons_are_stated_consistently():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == f">={SUPPORTED[0][0]}.{SUPPORTED[0][1]}"
    stated = sorted(tuple(map(int, c.rsplit(" ", 1)[1].split("."))) for c in project["classifiers"]
                    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert stated == SUPPORTED
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11–3.14" in readme
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert tuple(map(int, runtime.removeprefix("python-").split("."))) in SUPPORTED
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    version = re.search(r'python-version:\s*"(\d+)\.(\d+)"', workflow).groups()
    assert tuple(map(int, version)) in SUPPORTED
    assert sys.version_info[:2] in SUPPORTED


def test_torch_pin_is_read_from_requirements_and_cuda_is_recognised():
    assert install_torch_cpu.torch_pin() == f"torch=={pins(ROOT / 'requirements.txt')['torch']}"
    assert install_torch_cpu.cuda_packages(["nvidia-cublas-cu12", "sympy", "triton", "filelock"]) == \
        ["nvidia-cublas-cu12", "triton"]
    assert install_torch_cpu.cuda_packages(["sympy", "networkx", "jinja2", "fsspec", "setuptools"]) == []
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = makefile[makefile.index("$(VENV)/.installed:"):]
    assert install.index("scripts/install_torch_cpu.py") < install.index("-r requirements.txt")


def test_installed_torch_is_a_cpu_build():
    from importlib import metadata

    import torch

    assert torch.version.cuda is None
    names = [d.metadata["Name"] or "" for d in metadata.distributions()]
    assert install_torch_cpu.cuda_packages(names) == []
