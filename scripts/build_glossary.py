"""Zbuduj stronę ``glossary.md`` (Słowniczek) z plików ``glossary-terms/chNN.md``.

Każdy rozdział dopisuje swoje terminy do ``glossary-terms/chNN.md``, po jednym w linii::

    termin polski | English term | Jednozdaniowa definicja.

Skrypt zbiera je w jeden glosariusz Sphinksa (``{glossary}``), posortowany po polsku
(ą po a, ł po l, ż na końcu…). Każdy wpis ma dwa hasła – polskie i angielskie – więc w tekście
działa zarówno ``{term}`osadzenie```, jak i ``{term}`embedding```. Przy definicji stoi rozdział,
który termin wprowadza (rozdział z terminem w tytule, a jeśli takiego nie ma – pierwszy rozdział,
w którego pliku termin się pojawił), z linkiem, gdy
rozdział jest w ``_toc.yml``. Powtórzone hasła (także polskie = angielskie) zapisujemy raz.

Użycie: ``python scripts/build_glossary.py`` (zapisuje ``glossary.md``) albo z ``--check``
(kod 1, gdy ``glossary.md`` nie odpowiada plikom terminów).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMS_DIR = ROOT / "glossary-terms"
OUT = ROOT / "glossary.md"

ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
_ORDER = {ch: i for i, ch in enumerate(ALPHABET)}

HEADER = """# Słowniczek

<!-- Plik generowany przez scripts/build_glossary.py z glossary-terms/chNN.md – nie edytuj ręcznie. -->

Terminy kursu w kolejności alfabetycznej. Każde hasło to polski termin, a pod nim jego angielski
odpowiednik (tak nazywa go książka Raschki i większość źródeł), jednozdaniowa definicja
i rozdział, który termin wprowadza. Wyszukiwarka strony znajduje hasła w obu językach.
"""


@dataclass
class Term:
    polish: str
    english: str
    definition: str
    chapter: int


def polish_key(text: str) -> tuple:
    """Klucz sortowania po polsku (litery spoza alfabetu – po kodzie znaku, na końcu)."""
    key = []
    for ch in text.lower():
        key.append((0, _ORDER[ch]) if ch in _ORDER else (1, ord(ch)))
    return tuple(key)


def read_terms(terms_dir: Path = TERMS_DIR) -> list[Term]:
    terms: list[Term] = []
    for path in sorted(terms_dir.glob("ch*.md")):
        match = re.fullmatch(r"ch(\d+)\.md", path.name)
        if not match:
            continue
        chapter = int(match.group(1))
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("<!--"):
                continue
            # Definicja może zawierać „|” (np. |a|·|b|), więc dzielimy tylko na pierwszych dwóch.
            parts = [p.strip() for p in line.split("|", 2)]
            if len(parts) != 3 or not all(parts):
                raise SystemExit(f"{path.name}:{lineno}: oczekuję „termin polski | English term | definicja”, jest: {line!r}")
            terms.append(Term(parts[0], parts[1], parts[2], chapter))
    return terms


def chapter_titles() -> dict[int, tuple[str, str | None]]:
    """Numer rozdziału → (tytuł z pierwszego nagłówka notatnika, dokument w _toc.yml albo None)."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    titles: dict[int, tuple[str, str | None]] = {}
    for nb in sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb")):
        number = int(nb.name[:2])
        title = f"Rozdział {number}"
        try:
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            first = next(c for c in cells if c["cell_type"] == "markdown")
            source = "".join(first["source"]).strip().splitlines()[0]
            if source.startswith("#"):
                title = source.lstrip("#").strip()
        except (ValueError, KeyError, StopIteration, IndexError):
            pass
        doc = f"chapters/{nb.stem}"
        titles[number] = (title, doc if re.search(rf"file:\s*{re.escape(doc)}\s*$", toc, re.M) else None)
    return titles


def _term_line(text: str) -> str:
    # „ : ” w haśle Sphinx uznałby za klasyfikator.
    return text.replace(" : ", " – ")


def render(terms: list[Term]) -> str:
    titles = chapter_titles()

    def introducing(term: Term) -> tuple:
        # Rozdział, którego tytuł zawiera termin (np. „7. Dropout w uwadze”), wygrywa z wcześniejszym
        # rozdziałem, który tylko o nim wspomina; poza tym – najwcześniejszy rozdział.
        title = titles.get(term.chapter, ("", None))[0].lower()
        return (term.polish.lower() not in title, term.chapter)

    seen: set[str] = set()
    entries = []
    for term in sorted(terms, key=introducing):
        key = term.polish.lower()
        if key in seen:
            continue
        names = [term.polish]
        seen.add(key)
        if term.english.lower() not in seen:
            names.append(term.english)
            seen.add(term.english.lower())
        entries.append((term, names))
    entries.sort(key=lambda e: polish_key(e[0].polish))

    lines = [HEADER, "```{glossary}"]
    for term, names in entries:
        lines += [_term_line(n) for n in names]
        title, doc = titles.get(term.chapter, (f"Rozdział {term.chapter}", None))
        where = f"{{doc}}`{title} </{doc}>`" if doc else title
        english = f"ang. *{term.english}* · " if len(names) > 1 or term.english.lower() != term.polish.lower() else ""
        lines.append(f"  {term.definition}")
        lines.append("")
        lines.append(f"  {english}wprowadza: {where}" if english else f"  Wprowadza: {where}")
        lines.append("")
    if lines[-1] == "":
        lines.pop()
    lines.append("```")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="tylko sprawdź, czy glossary.md jest aktualny")
    args = parser.parse_args(argv)
    text = render(read_terms())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("glossary.md nie odpowiada glossary-terms/ – uruchom: python scripts/build_glossary.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"glossary.md: {text.count(chr(10) + '  ') // 2} haseł")
    return 0


if __name__ == "__main__":
    sys.exit(main())
