"""``make publish REPO=…`` (``scripts/publish.py``) na kopii repozytorium i sprawdzenie w workflow.

Rozdziałów w repozytorium nie ruszamy: skrypt działa na kopii (pliki konfiguracji, README,
``intro.md``, ``binder/``, ``.github/``, skrypty i dwa rozdziały w folderze tymczasowym).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["_config.yml", "README.md", "intro.md", "CONTRIBUTING.md", "bibliografia.md", "binder", ".github",
          "scripts/first_cell.py", "scripts/publish.py"]
NEW = "https://github.com/Nauczycielka/moj-kurs"


@pytest.fixture()
def copy(tmp_path) -> Path:
    for name in COPIED:
        src, dst = ROOT / name, tmp_path / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        elif src.exists():
            shutil.copy(src, dst)
    (tmp_path / "chapters").mkdir()
    for chapter in sorted((ROOT / "chapters").glob("*.ipynb"))[:2]:
        shutil.copy(chapter, tmp_path / "chapters" / chapter.name)
    return tmp_path


def run(root: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "scripts" / "publish.py"), *args],
                          capture_output=True, text=True, cwd=root)


def _all_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
                     if p.is_file() and p.suffix in (".md", ".yml", ".txt", ".ipynb", ".py", "") and p.name != "publish.py")


def test_publish_sets_the_url_everywhere_and_rechecks(copy):
    old_url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    old_path = old_url.removeprefix("https://github.com/")
    assert old_path in _all_text(copy)
    before = {p.name: nbformat.read(p, as_version=4) for p in (copy / "chapters").glob("*.ipynb")}

    result = run(copy, NEW + ".git")
    assert result.returncode == 0, result.stderr
    assert f"Adres repozytorium kursu: {NEW}" in result.stdout and "Settings → Pages" in result.stdout

    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"] == NEW
    assert config["repository"]["branch"] == "main" and config["launch_buttons"]["colab_url"]
    assert old_path not in _all_text(copy).replace("github.com/" + old_path + "-", "")
    readme = (copy / "README.md").read_text(encoding="utf-8")
    assert "colab.research.google.com/github/Nauczycielka/moj-kurs/blob/main/chapters/" in readme
    assert "mybinder.org/v2/gh/Nauczycielka/moj-kurs/main" in readme
    assert f"git clone {NEW}.git" in (copy / "intro.md").read_text(encoding="utf-8")
    # bibliografia (repozytoria innych projektów) bez zmian
    assert (copy / "bibliografia.md").read_text(encoding="utf-8") == (ROOT / "bibliografia.md").read_text(encoding="utf-8")

    for path in (copy / "chapters").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert f'"git+{NEW}.git"' in code[0].source and "remove-cell" in code[0].metadata["tags"]
        old_code = [c for c in before[path.name].cells if c.cell_type == "code"]
        assert [c.source for c in code[1:]] == [c.source for c in old_code[1:]]  # reszta nietknięta
        assert [c.get("outputs") for c in code[1:]] == [c.get("outputs") for c in old_code[1:]]

    assert run(copy, "--check").returncode == 0
    again = run(copy, NEW)
    assert again.returncode == 0 and "żadne (adres już był ustawiony)" in again.stdout


@pytest.mark.parametrize("bad", ["github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a",
                                 "https://github.com/a/b/blob/main/x.py", ""])
def test_publish_rejects_a_non_github_url_in_polish_and_changes_nothing(copy, bad):
    config = (copy / "_config.yml").read_text(encoding="utf-8")
    result = run(copy, bad)
    assert result.returncode == 1
    assert "REPO=https://github.com/WŁAŚCICIEL/NAZWA" in result.stderr and "Traceback" not in result.stderr
    assert (copy / "_config.yml").read_text(encoding="utf-8") == config


def test_check_finds_a_stale_link(copy):
    assert run(copy, NEW).returncode == 0
    readme = copy / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n[x](https://mybinder.org/v2/gh/ktos/inny/main)\n",
                      encoding="utf-8")
    result = run(copy, "--check")
    assert result.returncode == 1 and "README.md (mybinder.org/v2/gh/ktos/inny)" in result.stdout


def test_workflow_verifies_the_url_before_building():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    verify = next(i for i, r in enumerate(runs) if "publish.py --verify" in r)
    build = next(i for i, r in enumerate(runs) if "make book" in r)
    assert verify < build
    assert "${{ github.server_url }}/${{ github.repository }}" in runs[verify]
    assert not any(s.get("uses", "").startswith("actions/setup-python") for s in steps[:verify])  # python3 z systemu


@pytest.mark.parametrize("change, ok", [
    (lambda url: url, True),
    (lambda url: url.upper().replace("HTTPS://GITHUB.COM", "https://github.com"), True),  # GitHub: wielkość liter bez znaczenia
    (lambda url: url + ".git", True),
    (lambda url: url.replace("github.com/", "github.com/inny-"), False),
])
def test_verify_compares_config_with_the_running_repository(copy, change, ok):
    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    repo = change(config)
    # -I -S: bez site-packages, jak python3 na czystym runnerze przed instalacją zależności
    result = subprocess.run([sys.executable, "-I", "-S", str(copy / "scripts" / "publish.py"), "--verify", repo],
                            capture_output=True, text=True)
    assert (result.returncode == 0) == ok, result.stdout + result.stderr
    if not ok:
        assert result.stdout.startswith("::error file=_config.yml::") and "make publish REPO=https://github.com/inny-" in result.stdout
