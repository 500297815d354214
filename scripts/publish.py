"""Ustaw adres repozytorium kursu wszędzie, gdzie jest używany, i sprawdź wynik (``make publish``).

Adres z ``repository.url`` w ``_config.yml`` biorą przyciski Colab, Binder i Live Code na stronie
oraz pierwsza komórka każdego rozdziału (``scripts/first_cell.py``: w Colabie instaluje z niego
pakiet ``llmkurs``). Ten skrypt po forku zmienia go naraz w:

- ``_config.yml`` (``repository.url``),
- pierwszych komórkach rozdziałów (``first_cell.apply``),
- plikach tekstowych, które podają adres albo jego pochodne – ``README.md``, ``intro.md``,
  ``CONTRIBUTING.md``, ``binder/``, ``.github/`` – w postaciach ``github.com/W/N``,
  ``colab.research.google.com/github/W/N``, ``mybinder.org/v2/gh/W/N`` i ``W.github.io/N``,

a potem sprawdza, że nigdzie nie został stary adres, a pierwsze komórki są aktualne.

Użycie::

    make publish REPO=https://github.com/WŁAŚCICIEL/NAZWA   # albo: python scripts/publish.py URL
    python scripts/publish.py --check                       # czy wszystko zgadza się z _config.yml
    python scripts/publish.py --verify URL                  # (workflow) czy _config.yml to URL

``--verify`` nie potrzebuje niczego spoza biblioteki standardowej (workflow wywołuje go przed
instalacją zależności).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import first_cell  # noqa: E402

GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100}?)(?:\.git)?/?")
EXAMPLE = "https://github.com/WŁAŚCICIEL/NAZWA"
#: Pliki (i foldery) z adresem poza _config.yml i rozdziałami.
TEXT_FILES = ["README.md", "intro.md", "CONTRIBUTING.md", "binder", ".github"]


class PublishError(SystemExit):
    """Jedno polskie zdanie i kod wyjścia 1."""

    def __init__(self, message: str):
        super().__init__(message)


def parse(url: str) -> tuple[str, str]:
    """``(właściciel, nazwa)`` z adresu ``https://github.com/W/N`` (także z ``.git`` i ``/``)."""
    match = GITHUB.fullmatch(url.strip())
    if not match or match.group(2) in (".", ".."):
        raise PublishError(
            f"{url!r} nie jest adresem repozytorium na GitHubie: podaj go w postaci REPO={EXAMPLE} "
            "(bez ścieżki do pliku)."
        )
    return match.group(1), match.group(2)


def canonical(url: str) -> str:
    owner, name = parse(url)
    return f"https://github.com/{owner}/{name}"


def same_repository(a: str, b: str) -> bool:
    """GitHub nie rozróżnia wielkości liter w nazwach właściciela i repozytorium."""
    return canonical(a).lower() == canonical(b).lower()


def _forms(owner: str, name: str) -> list[str]:
    return [
        f"github.com/{owner}/{name}",
        f"colab.research.google.com/github/{owner}/{name}",
        f"mybinder.org/v2/gh/{owner}/{name}",
        f"{owner}.github.io/{name}",
    ]


def _replace_forms(text: str, old: tuple[str, str], new: tuple[str, str]) -> str:
    for before, after in zip(_forms(*old), _forms(*new)):
        # nie zmieniamy dłuższych nazw, które zaczynają się tak samo (np. NAZWA-stara)
        text = re.sub(re.escape(before) + r"(?![A-Za-z0-9_-])", after.replace("\\", "\\\\"), text, flags=re.I)
    return text


def _set_config_url(config: Path, url: str) -> None:
    text = config.read_text(encoding="utf-8")
    new, n = re.subn(r"^(repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*)\S+", lambda m: m.group(1) + url, text,
                     count=1, flags=re.M)
    if n != 1:
        raise PublishError("W _config.yml nie ma pola repository.url: dopisz sekcję repository z polem url.")
    config.write_text(new, encoding="utf-8")


def _text_files(root: Path) -> list[Path]:
    files = []
    for entry in TEXT_FILES:
        path = root / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file())
    return files


def _chapters(root: Path) -> list[Path]:
    return sorted((root / "chapters").glob("*.ipynb"))


#: Odnośniki do repozytorium kursu w tekstach (nie każdy github.com/W/N: bibliografia podaje inne).
COURSE_LINKS = re.compile(
    r"(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh)/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?=[/?#\s)\]>\"'`]|$)"
    r"|(?<![A-Za-z0-9-])([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+?)(?=[/?#\s)\]>\"'`]|$)"
    r"|git clone https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?(?=[/\s)\]>\"'`]|$)",
    re.M,
)


def stale(root: Path = ROOT, old: tuple[str, str] | None = None) -> list[str]:
    """Miejsca, które nie zgadzają się z ``repository.url`` w ``_config.yml`` (pusta lista = dobrze).

    Sprawdzamy pierwsze komórki rozdziałów, odnośniki Colab/Binder/Pages i ``git clone`` w tekstach,
    a gdy znamy poprzedni adres (``old``) – także każdą jego postać.
    """
    url = first_cell.repository_url(root / "_config.yml")
    owner, name = parse(url)
    problems = [f"{p.relative_to(root)} (pierwsza komórka)" for p in _chapters(root)
                if not first_cell.apply(p, check=True, url=url)]
    for path in _text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for match in COURSE_LINKS.finditer(text):
            found = [g for g in match.groups() if g]
            if (found[0].lower(), found[1].lower()) != (owner.lower(), name.lower()):
                problems.append(f"{path.relative_to(root)} ({match.group(0)})")
        if old and old != (owner, name):
            for form in _forms(*old):
                if re.search(re.escape(form) + r"(?![A-Za-z0-9_-])", text, re.I):
                    problems.append(f"{path.relative_to(root)} ({form})")
    return problems


def publish(url: str, root: Path = ROOT) -> tuple[list[str], tuple[str, str]]:
    """Ustaw ``url`` wszędzie; zwróć zmienione pliki (względem ``root``) i poprzedni adres (W, N)."""
    new = parse(url)
    url = canonical(url)
    config = root / "_config.yml"
    old = parse(first_cell.repository_url(config))
    changed = []
    before = config.read_text(encoding="utf-8")
    _set_config_url(config, url)
    if config.read_text(encoding="utf-8") != before:
        changed.append("_config.yml")
    for path in _text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        updated = _replace_forms(text, old, new)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(str(path.relative_to(root)))
    source_before = {p: p.read_bytes() for p in _chapters(root)}
    for chapter in _chapters(root):
        first_cell.apply(chapter, url=url)
        if chapter.read_bytes() != source_before[chapter]:
            changed.append(str(chapter.relative_to(root)))
    return changed, old


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["--verify"] and len(argv) == 2:
            configured = first_cell.repository_url(ROOT / "_config.yml")
            if not same_repository(configured, argv[1]):
                print(f"::error file=_config.yml::repository.url w _config.yml to {configured}, a workflow działa "
                      f"w repozytorium {canonical(argv[1])}: uruchom make publish REPO={canonical(argv[1])} "
                      "i zatwierdź zmiany (inaczej przyciski Colab i Binder oraz pierwsza komórka rozdziałów "
                      "wskazują cudze repozytorium).")
                return 1
            print(f"repository.url zgadza się z repozytorium: {canonical(argv[1])}")
            return 0
        if argv == ["--check"]:
            problems = stale()
            if problems:
                url = first_cell.repository_url()
                print(f"Nieaktualne względem repository.url z _config.yml ({url}): " + ", ".join(problems)
                      + f" – uruchom make publish REPO={url} (pierwsze komórki odświeża też "
                      "python scripts/first_cell.py).")
                return 1
            print(f"Wszędzie ten sam adres repozytorium: {first_cell.repository_url()}")
            return 0
        if len(argv) != 1 or argv[0].startswith("-"):
            raise PublishError(f"Podaj adres repozytorium: make publish REPO={EXAMPLE}.")
        changed, old = publish(argv[0])
        problems = stale(old=old)
        if problems:
            raise PublishError("Po zmianie adres nadal nie zgadza się w: " + ", ".join(problems) + " – popraw je ręcznie.")
    except PublishError as err:
        print(err.code, file=sys.stderr)
        return 1
    url = canonical(argv[0])
    owner, name = parse(url)
    print(f"Adres repozytorium kursu: {url}")
    print("Zmienione pliki: " + (", ".join(changed) if changed else "żadne (adres już był ustawiony)"))
    print("Dalej: zatwierdź zmiany (git commit -am \"Adres repozytorium\"), wypchnij je do gałęzi main "
          "i w ustawieniach repozytorium wybierz Settings → Pages → Source: GitHub Actions; strona będzie pod "
          f"https://{owner}.github.io/{name}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
