"""Każdy rozdział uruchomiony tak, jak w Colabie: wersje Colaba, pusty folder, pakiet z gita.

Colab otwiera jeden notatnik i nic więcej z repozytorium; ma już torch i swoje (starsze) wersje
ipywidgets, IPythona, numpy, matplotlib i plotly. Sprawdzamy to naprawdę:

1. Środowisko wirtualne z wersjami Colaba (:data:`COLAB_VERSIONS`; torch to koło CPU, które pip
   znajduje na tej maszynie). Budowa trwa kilka minut, więc środowisko leży w
   ``.cache/colab-venv/<skrót listy wersji>/`` (albo w ``$LLMKURS_COLAB_CACHE``) i powstaje od
   nowa tylko po zmianie listy.
2. Pakiet ``llmkurs`` NIE jest w nim zainstalowany. Instaluje go pierwsza komórka rozdziału,
   z ``git+file://`` czystego klonu zatwierdzonego stanu repozytorium (``git clone`` do folderu
   tymczasowego: niezatwierdzone zmiany nie wchodzą, jak u studenta, który bierze repozytorium
   z GitHuba). Z tego klonu bierzemy też rozdziały.
3. ``pip install --dry-run --report`` w tym środowisku: pierwsza komórka zainstalowałaby
   ``llmkurs`` i nic poza nim (niczego, co Colab już ma, nie podmienia).
4. Każdy rozdział: kopia notatnika sama w pustym folderze, świeża nakładka na środowisko Colaba
   (osobny venv, który widzi pakiety Colaba, ale instaluje do siebie), jądro w tej nakładce
   i ``pytest --nbval`` (ścisły, z ``.nbval-sanitize.cfg``) – wyjścia porównane z zapisanymi tak
   samo jak w ``make nbval``.

Pierwsza komórka pierwszego rozdziału instaluje pakiet naprawdę (klon, budowa koła, ok. 10 s).
Rozdziały z identyczną pierwszą komórką (``make lint`` pilnuje, by była wspólna) korzystają z tej
instalacji; rozdział z inną pierwszą komórką instaluje pakiet sam.

Wariant z numpy 1.26 (starsze obrazy Colaba): ``LLMKURS_COLAB_NUMPY=1.26.4 pytest tests/test_colab.py``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Środowisko Colaba między przebiegami (zmienna LLMKURS_COLAB_CACHE: folder poza klonem, np. dla CI).
CACHE = Path(os.environ.get("LLMKURS_COLAB_CACHE") or ROOT / ".cache" / "colab-venv")

#: Wersje z Colaba (jak w zgłoszeniu 12); reszta zależności – to, co pip dobierze do nich.
COLAB_VERSIONS = """
torch==2.13.0
numpy==2.0.2
matplotlib==3.10.0
ipywidgets==7.7.1
ipykernel==6.17.1
ipython==7.34.0
jupyter-client==6.1.12
traitlets==5.7.1
tornado==6.4.2
pyzmq==24.0.1
plotly==5.24.1
tiktoken==0.9.0
safetensors==0.5.3
regex==2024.11.6
""".split()

#: pip w wersji z Colaba (``--dry-run --report`` ma od 22.2).
COLAB_PIP = "pip==24.1.2"

#: Jedyna zamierzona różnica w wyjściach: strona pod rysunkiem „do odkrywania” poza kursem bierze
#: plotly.js z CDN w wersji zgodnej z zainstalowanym pakietem plotly (w Colabie 5.x → plotly.js 2.x).
EXTRA_SANITIZE = r"""
[plotly-js-z-cdn]
regex: cdn\.plot\.ly/plotly-\d+\.\d+\.\d+\.min\.js
replace: cdn.plot.ly/plotly-WERSJA.min.js
"""

CHAPTERS = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))


def _versions() -> list[str]:
    numpy = os.environ.get("LLMKURS_COLAB_NUMPY")
    if not numpy:
        return list(COLAB_VERSIONS)
    return [f"numpy=={numpy}" if v.startswith("numpy==") else v for v in COLAB_VERSIONS]


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("check", True)
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def _purelib(python: Path) -> str:
    return _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()


def _base_python() -> str:
    return getattr(sys, "_base_executable", sys.executable)


def _build_colab_venv() -> Path:
    """Środowisko z wersjami Colaba (z pamięci podręcznej albo zbudowane teraz)."""
    versions = _versions()
    key = hashlib.sha256("\n".join([COLAB_PIP, *versions, sys.version]).encode()).hexdigest()[:16]
    venv = CACHE / key
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # dwa równoległe przebiegi nie budują jednego venv naraz
        if (venv / ".gotowe").exists():
            return venv
        for old in CACHE.iterdir():  # środowiska dla innych list wersji
            if old.is_dir() and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(venv, ignore_errors=True)
        _run([_base_python(), "-m", "venv", venv])
        python = venv / "bin" / "python"
        _run([python, "-m", "pip", "install", "-q", COLAB_PIP])
        (venv / "colab-versions.txt").write_text("\n".join(versions) + "\n")
        done = _run([python, "-m", "pip", "install", "-q", "-r", venv / "colab-versions.txt"], check=False)
        assert done.returncode == 0, "Nie udało się zbudować środowiska Colaba:\n" + done.stderr[-3000:]
        (venv / ".gotowe").write_text(key + "\n")
    return venv


@pytest.fixture(scope="module")
def colab_venv() -> Path:
    return _build_colab_venv()


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory) -> tuple[Path, str]:
    """Klon zatwierdzonego stanu repozytorium i adres ``git+file://…@<sha>`` do pierwszej komórki."""
    if not (ROOT / ".git").exists():
        pytest.skip("To nie jest repozytorium gita: nie ma czego klonować.")
    clone = tmp_path_factory.mktemp("klon") / "repo"
    _run(["git", "clone", "-q", ROOT, clone])
    sha = _run(["git", "-C", clone, "rev-parse", "HEAD"]).stdout.strip()
    return clone, f"git+file://{clone}@{sha}"


@pytest.fixture(scope="module")
def pip_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pip-cache")


def _overlay(colab: Path, where: Path, extra_site: str | None = None) -> Path:
    """Nowy venv, który widzi pakiety Colaba (tylko do odczytu), a instaluje do siebie.

    ``extra_site`` – folder z już zainstalowanym ``llmkurs`` (patrz :func:`installed_by_first_cell`).
    """
    venv = where / "venv"
    _run([_base_python(), "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    # site.addsitedir wykonuje też pliki .pth środowiska Colaba (jak w nim samym).
    sites = [_purelib(colab / "bin" / "python"), *([extra_site] if extra_site else [])]
    Path(_purelib(python), "_srodowisko_colaba.pth").write_text(
        "import site; " + "; ".join(f"site.addsitedir({d!r})" for d in sites) + "\n")
    return python


def _first_code_cell(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = next(c["source"] for c in cells if c["cell_type"] == "code")
    return "".join(source) if isinstance(source, list) else source


def _env(pip_cache: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PIP_CACHE_DIR=str(pip_cache), PIP_NO_INPUT="1", PYTHONHASHSEED="0",
               TIKTOKEN_CACHE_DIR=str(ROOT / ".cache" / "tiktoken"))
    env.update(extra)
    return env


def _installed_here(python: Path) -> list[str]:
    return sorted(p.name for p in Path(_purelib(python)).iterdir()
                  if p.name not in ("__pycache__", "_srodowisko_colaba.pth"))


@pytest.fixture(scope="module")
def installed_by_first_cell(colab_venv, clean_clone, pip_cache, tmp_path_factory) -> tuple[str, str]:
    """Zapisana pierwsza komórka pierwszego rozdziału wykonana w świeżej nakładce (klon, budowa koła).

    Zwraca (folder site-packages z zainstalowanym ``llmkurs``, źródło tej komórki). Rozdziały
    z identyczną pierwszą komórką widzą ten folder: ich komórka zastaje ``llmkurs`` i nic nie
    instaluje (to ta sama instalacja, więc nie powtarzamy jej dziewięć razy po ok. 8 s).
    """
    clone, source = clean_clone
    chapters = sorted((clone / "chapters").glob("*.ipynb"))
    if not chapters:
        pytest.skip("Brak zatwierdzonych rozdziałów.")
    where = tmp_path_factory.mktemp("pierwsza-komorka")
    python = _overlay(colab_venv, where)
    env = _env(pip_cache, LLMKURS_SOURCE=source)
    assert _run([python, "-c", "import llmkurs"], check=False, env=env, cwd=where).returncode != 0, \
        "llmkurs nie powinien być widoczny przed pierwszą komórką"
    cell = _first_code_cell(chapters[0])
    run = _run([python, "-c", cell], check=False, env=env, cwd=where)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    installed = _installed_here(python)
    assert "llmkurs" in installed and all(n.startswith("llmkurs") for n in installed), installed
    where_from = _run([python, "-c", "import llmkurs; print(llmkurs.__file__)"], env=env, cwd=where).stdout.strip()
    assert where_from.startswith(str(where / "venv")), where_from
    return _purelib(python), cell


def test_first_cell_would_install_only_llmkurs(colab_venv, clean_clone, pip_cache, tmp_path):
    clone, source = clean_clone
    python = _overlay(colab_venv, tmp_path)
    env = _env(pip_cache)
    assert _run([python, "-c", "import llmkurs"], check=False, env=env).returncode != 0, \
        "llmkurs nie powinien być widoczny przed pierwszą komórką"
    versions = _run([python, "-c", "import IPython, ipywidgets, numpy, torch; "
                     "print(IPython.__version__, ipywidgets.__version__, numpy.__version__, torch.__version__)"],
                    env=env).stdout.split()
    assert versions[:2] == ["7.34.0", "7.7.1"], versions
    report = tmp_path / "raport.json"
    # Dokładnie to polecenie wykonuje pierwsza komórka, tylko na sucho.
    dry = _run([python, "-m", "pip", "install", "-q", "--dry-run", "--report", report, source], check=False, env=env)
    assert dry.returncode == 0, dry.stderr[-3000:]
    install = json.loads(report.read_text())["install"]
    assert [(i["metadata"]["name"], i["download_info"]["url"]) for i in install] == [("llmkurs", f"file://{clone}")]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_runs_alone_in_colab_versions(name, colab_venv, clean_clone, pip_cache, installed_by_first_cell,
                                              tmp_path):
    clone, source = clean_clone
    notebook = clone / "chapters" / name
    if not notebook.exists():
        pytest.skip(f"{name} nie jest jeszcze zatwierdzony (klon go nie ma).")
    site, cell = installed_by_first_cell
    # Ta sama pierwsza komórka co w rozdziale, który już zainstalował llmkurs: korzystamy z tej
    # instalacji. Inna (np. rozdział jeszcze sprzed scripts/first_cell.py): instaluje sama.
    same = _first_code_cell(notebook) == cell
    python = _overlay(colab_venv, tmp_path, site if same else None)
    alone = tmp_path / "pusty-folder"
    alone.mkdir()
    shutil.copy(notebook, alone / name)

    kernels = tmp_path / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Symulacja Colaba", "language": "python",
    }))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # nie bierzemy konfiguracji projektu
    sanitize = tmp_path / "sanitize.cfg"
    sanitize.write_text((clone / ".nbval-sanitize.cfg").read_text(encoding="utf-8") + EXTRA_SANITIZE, encoding="utf-8")
    env = _env(pip_cache, LLMKURS_SOURCE=source, JUPYTER_PATH=str(tmp_path / "jupyter"))
    run = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", tmp_path / "pytest.ini",
                "--rootdir", tmp_path, "--nbval", "--nbval-kernel-name", "colab",
                "--nbval-sanitize-with", sanitize, alone / name],
               check=False, env=env, cwd=tmp_path, timeout=900)
    assert run.returncode == 0, f"nbval w wersjach Colaba nie przeszedł dla {name}:\n" + run.stdout[-6000:]

    # llmkurs pochodzi z instalacji pierwszą komórką (tego rozdziału albo identycznej), nic więcej.
    installed = _installed_here(python)
    where = _run([python, "-c", "import llmkurs; print(llmkurs.__file__)"], env=env).stdout.strip()
    if same:
        assert installed == [] and where.startswith(site), (installed, where)
    else:
        assert "llmkurs" in installed and all(n.startswith("llmkurs") for n in installed), installed
        assert where.startswith(str(tmp_path / "venv")), where
    assert sorted(os.listdir(alone)) == [name] or all(not n.endswith(".py") for n in os.listdir(alone))


def _kernel(tmp_path: Path, python: Path) -> Path:
    kernels = tmp_path / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True, exist_ok=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Symulacja Colaba", "language": "python",
    }))
    return tmp_path / "jupyter"


def _execute(nb, folder: Path, env: dict[str, str], monkeypatch) -> None:
    import nbclient.output_widget
    from nbclient import NotebookClient

    nbclient.output_widget.OutputWidget.sync_state = lambda self: None  # jak w scripts/execute_notebooks.py
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("PYTHONPATH", "VIRTUAL_ENV"):
        monkeypatch.delenv(key, raising=False)
    NotebookClient(nb, kernel_name="colab", timeout=300, resources={"metadata": {"path": str(folder)}}).execute()


def test_new_first_cell_fails_with_one_polish_sentence_and_stops(colab_venv, clean_clone, pip_cache, tmp_path,
                                                                 monkeypatch):
    """Pierwsza komórka z ``scripts/first_cell.py`` (tej wersji) na kopii rozdziału: zły adres."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    sys.path.insert(0, str(ROOT / "scripts"))
    import first_cell

    clone, source = clean_clone
    python = _overlay(colab_venv, tmp_path)
    alone = tmp_path / "pusty-folder"
    alone.mkdir()
    chapter = sorted((clone / "chapters").glob("*.ipynb"))[0]
    copy = alone / chapter.name
    shutil.copy(chapter, copy)
    first_cell.apply(copy)  # nowa komórka w kopii (rozdziałów w repozytorium nie ruszamy)
    nb = nbformat.read(copy, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert nb.cells[code[0]].source == first_cell.cell_source()
    for i in code:  # jak po „Wyczyść wszystkie wyjścia”
        nb.cells[i].outputs, nb.cells[i].execution_count = [], None

    bad = f"git+file://{tmp_path}/nie-ma-takiego-repozytorium"
    env = _env(pip_cache, LLMKURS_SOURCE=bad, JUPYTER_PATH=str(_kernel(tmp_path, python)))
    with pytest.raises(CellExecutionError):
        _execute(nb, alone, env, monkeypatch)
    errors = [o for o in nb.cells[code[0]].outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "BladInstalacji"
    message = errors[0].evalue
    # Student widzi tylko listę traceback: jedno zdanie, bez śladu stosu.
    assert errors[0].traceback == [message]
    assert f"z {bad}:" in message and "make publish REPO=https://github.com/" in message
    assert message.startswith("Nie udało się") and message.endswith(".") and ". " not in message
    # „Uruchom wszystko” stanęło na pierwszej komórce: żadna następna się nie wykonała.
    assert all(nb.cells[i].get("execution_count") is None and not nb.cells[i].outputs for i in code[1:])


def test_new_first_cell_installs_from_the_right_source(colab_venv, clean_clone, pip_cache, tmp_path, monkeypatch):
    import nbformat

    sys.path.insert(0, str(ROOT / "scripts"))
    import first_cell

    clone, source = clean_clone
    python = _overlay(colab_venv, tmp_path)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(first_cell.cell_source()),
        nbformat.v4.new_code_cell("import llmkurs, ipywidgets\nprint(llmkurs.__name__, ipywidgets.__version__)"),
    ])
    env = _env(pip_cache, LLMKURS_SOURCE=source, JUPYTER_PATH=str(_kernel(tmp_path, python)))
    _execute(nb, tmp_path, env, monkeypatch)
    assert nb.cells[0].outputs == []
    assert nb.cells[1].outputs[0]["text"] == "llmkurs 7.7.1\n"
