"""Połącz pierwsze użycie terminów rozdziału ze Słowniczkiem (rola Sphinksa ``{term}``).

Dla każdego rozdziału ``chapters/NN-*.ipynb`` bierzemy terminy z ``glossary-terms/chNN.md``
i w komórkach markdown szukamy pierwszego wystąpienia każdego z nich – także w innej formie
gramatycznej (każde słowo terminu dopasowujemy po rdzeniu: bez dwóch ostatnich liter). Pierwsze
wystąpienie zamieniamy na ``{term}`znaleziona forma <termin>```. Pomijamy nagłówki, kod
(``…``, bloki ```), wzory ($…$), linki, HTML i ukryte rozwiązania. Skrypt jest idempotentny:
termin, który ma już odnośnik w rozdziale, zostawiamy.

Użycie: ``python scripts/link_glossary.py [--check]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

# Fragmenty, w których nie wolno wstawiać odnośników.
_PROTECTED = re.compile(
    r"```.*?```|`[^`\n]*`|\(ang\.[^)\n]*\)|\$\$.*?\$\$|\$[^$\n]*\$|\[[^\]\n]*\]\([^)\n]*\)|<details>.*?</details>|<[^>\n]+>|\{[a-z]+\}`[^`]*`",
    re.S,
)


def _terms(chapter_number: str) -> list[str]:
    path = ROOT / "glossary-terms" / f"ch{chapter_number}.md"
    if not path.exists():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "|" in line:
            terms.append(line.split("|")[0].strip())
    return [t for t in terms if t]


def _pattern(term: str) -> re.Pattern:
    words = term.split()
    parts = []
    for word in words:
        if not re.fullmatch(r"[\wąćęłńóśźżĄĆĘŁŃÓŚŹŻ\-–]+", word):
            return re.compile(r"(?!x)x")  # terminów ze znakami specjalnymi (Ġ, „…”) nie linkujemy
        if len(word) > 4:
            stem = word[: max(4, len(word) - 2)]
            # Końcówka najwyżej o 3 litery dłuższa niż w haśle: „osadzeniami” tak, „maskowaną” dla „maska” nie.
            parts.append(re.escape(stem) + r"\w{0,%d}" % (len(word) - len(stem) + 3))
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<![\w{`<])" + r"\s+".join(parts) + r"(?![\w`>])", re.I)


def _link_in_text(text: str, term: str, pattern: re.Pattern) -> tuple[str, bool]:
    """Podlinkuj pierwsze wystąpienie poza chronionymi fragmentami i nagłówkami."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    for line_match in re.finditer(r"^#.*$", text, re.M):
        protected.append(line_match.span())
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(a <= start < b or a < end <= b for a, b in protected):
            continue
        found = match.group(0)
        if "\n" in found:
            continue
        role = f"{{term}}`{found}`" if found.lower() == term.lower() else f"{{term}}`{found} <{term}>`"
        return text[:start] + role + text[end:], True
    return text, False


def link_chapter(path: Path) -> bool:
    """Zwróć True, jeśli notatnik się zmienił."""
    number = path.name[:2]
    nb = nbformat.read(path, as_version=4)
    changed = False
    for term in _terms(number):
        already = re.compile(r"\{term\}`(?:" + re.escape(term) + r"|[^`<]*<" + re.escape(term) + r">)`", re.I)
        if any(c.cell_type == "markdown" and already.search(c.source) for c in nb.cells):
            continue
        pattern = _pattern(term)
        for cell in nb.cells[1:]:  # bez tytułu rozdziału
            if cell.cell_type != "markdown":
                continue
            new, done = _link_in_text(cell.source, term, pattern)
            if done:
                cell.source = new
                changed = True
                break
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    chapters = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))
    if check:
        import copy
        import tempfile

        stale = []
        for path in chapters:
            with tempfile.TemporaryDirectory() as tmp:
                copy_path = Path(tmp) / path.name
                copy_path.write_bytes(path.read_bytes())
                if link_chapter(copy_path):
                    stale.append(path.name)
        del copy
        if stale:
            print("Terminy bez odnośnika do Słowniczka w: " + ", ".join(stale))
            return 1
        return 0
    for path in chapters:
        if link_chapter(path):
            print(f"{path.name}: dodano odnośniki do Słowniczka")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
