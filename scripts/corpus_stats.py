"""Liczby korpusu kursu i ich granice (uruchamiane też przez ``make lint``).

Drukuje: znaki, słowa, różne formy wyrazów, udział powtórzonych 8-gramów słów, powtórzone
akapity, udział słów z polskimi literami, których nie zna hunspell (słownik pl_PL: literówki),
rozmiary rejestrów i części odłożonej. Kończy się kodem 1, gdy któraś granica nie jest
spełniona::

    .venv/bin/python scripts/corpus_stats.py            # korpus w pakiecie
    .venv/bin/python scripts/corpus_stats.py --drafts   # plus szkice z drafts/corpus/ (dla piszących)

Definicje (te same w kodzie i w opisie):
- słowo: ciąg liter (``[^\\W\\d_]+``), porównywany po zamianie na małe litery;
- forma wyrazu: różne słowa po zamianie na małe litery;
- udział powtórzonych 8-gramów: odsetek pozycji w tekście (w obrębie jednego dokumentu), od
  których zaczyna się 8 kolejnych słów występujących w korpusie więcej niż raz;
- literówka: słowo z co najmniej jedną literą ąćęłńóśźż, którego hunspell pl_PL nie zna
  (w dowolnej wielkości liter); udział liczony względem wszystkich słów.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "lib" / "llmkurs" / "resources" / "corpus"
DRAFTS = ROOT / "drafts" / "corpus"
try:
    from llmkurs import corpus as _corpus
except ImportError:  # skrypt uruchomiony zwykłym python3, bez zainstalowanego pakietu
    sys.path.insert(0, str(ROOT / "lib"))
    from llmkurs import corpus as _corpus

BOUNDS = {
    "characters": 1_000_000,
    "distinct_forms": 35_000,
    "repeated_8gram_share": 0.003,
    "misspelt_share": 0.003,
    "registers": 14,
    "register_characters": 40_000,
    "heldout_share": 0.10,
}
WORD = re.compile(r"[^\W\d_]+")
POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def documents(include_drafts: bool) -> dict[str, str]:
    files = sorted(CORPUS.glob("*.txt"))
    if include_drafts and DRAFTS.exists():
        files += sorted(DRAFTS.glob("*.txt"))
    return {f.name: f.read_text(encoding="utf-8") for f in files}


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def repeated_ngrams(docs: dict[str, str], n: int = 8):
    counts: Counter = Counter()
    per_doc = {}
    for name, text in docs.items():
        w = words(text)
        grams = [tuple(w[i:i + n]) for i in range(len(w) - n + 1)]
        per_doc[name] = grams
        counts.update(grams)
    total = sum(len(g) for g in per_doc.values())
    repeated = sum(1 for g in per_doc.values() for x in g if counts[x] > 1)
    where = defaultdict(set)
    for name, grams in per_doc.items():
        for x in grams:
            if counts[x] > 1:
                where[x].add(name)
    return repeated / max(total, 1), counts, where


def unknown_words(forms: set[str]) -> set[str]:
    """Formy z polskimi literami, których hunspell pl_PL nie zna (także z wielkiej litery)."""
    candidates = sorted(f for f in forms if POLISH & set(f))
    if not candidates:
        return set()
    if shutil.which("hunspell") is None:
        raise SystemExit("Brak programu hunspell: zainstaluj pakiety hunspell i hunspell-pl (make hunspell).")
    out = subprocess.run(["hunspell", "-d", "pl_PL", "-l"], input="\n".join(candidates),
                         capture_output=True, text=True, check=True).stdout.split()
    unknown = set(out)
    # Słowo znane z wielkiej litery (nazwa własna) nie jest literówką.
    if unknown:
        again = subprocess.run(["hunspell", "-d", "pl_PL", "-l"], input="\n".join(w.capitalize() for w in unknown),
                               capture_output=True, text=True, check=True).stdout.split()
        unknown = {w.lower() for w in again}
    return unknown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", action="store_true", help="dolicz szkice z drafts/corpus/")
    parser.add_argument("--show", type=int, default=15, help="ile przykładów powtórzeń i literówek pokazać")
    args = parser.parse_args(argv)

    docs = documents(args.drafts)
    failures = []
    bad_names = [n for n in docs if not unicodedata.is_normalized("NFC", docs[n]) or "\r" in docs[n]]
    if bad_names:
        failures.append("pliki nie w NFC albo z \\r: " + ", ".join(bad_names))
    text_words = {n: words(t) for n, t in docs.items()}
    all_words = [w for ws in text_words.values() for w in ws]
    forms = set(all_words)
    chars = sum(len(t.strip()) for t in docs.values())
    print(f"dokumenty: {len(docs)}; znaki: {chars:,}; słowa: {len(all_words):,}; różne formy: {len(forms):,}".replace(",", " "))
    if chars < BOUNDS["characters"]:
        failures.append(f"znaków {chars} < {BOUNDS['characters']}")
    if len(forms) < BOUNDS["distinct_forms"]:
        failures.append(f"różnych form {len(forms)} < {BOUNDS['distinct_forms']}")

    share, counts, where = repeated_ngrams(docs)
    print(f"powtórzone 8-gramy słów: {100 * share:.3f} % pozycji (granica {100 * BOUNDS['repeated_8gram_share']:.1f} %)")
    if share > BOUNDS["repeated_8gram_share"]:
        failures.append(f"powtórzonych 8-gramów {100 * share:.3f} %")
    for gram, c in counts.most_common(args.show):
        if c < 2:
            break
        print(f"   {c}× „{' '.join(gram)}” w: {', '.join(sorted(where[gram]))}")

    paragraphs = Counter(p.strip() for t in docs.values() for p in t.split("\n\n") if len(p.strip()) > 40)
    twice = [p for p, c in paragraphs.items() if c > 1]
    print(f"akapity powtórzone: {len(twice)}")
    for p in twice[: args.show]:
        print(f"   „{p[:80]}…”")
    if twice:
        failures.append(f"{len(twice)} akapitów występuje więcej niż raz")

    unknown = unknown_words(forms)
    word_counts = Counter(all_words)
    misspelt = sum(word_counts[w] for w in unknown)
    mshare = misspelt / max(len(all_words), 1)
    print(f"słowa z polskimi literami nieznane hunspellowi: {misspelt} ({100 * mshare:.3f} % słów, granica "
          f"{100 * BOUNDS['misspelt_share']:.1f} %)")
    by_file = defaultdict(list)
    for n, ws in text_words.items():
        for w in sorted(set(ws) & unknown):
            by_file[n].append(w)
    for n in sorted(by_file)[: max(args.show, 40) if args.drafts else args.show]:
        print(f"   {n}: {' '.join(by_file[n][:25])}")
    if mshare > BOUNDS["misspelt_share"]:
        failures.append(f"literówek {100 * mshare:.3f} %")

    heldout = set(_corpus.HELDOUT_FILES)
    sizes, held_sizes = Counter(), Counter()
    for n, t in docs.items():
        try:
            reg = _corpus.register_of(n)
        except Exception as err:  # noqa: BLE001 – zła nazwa pliku to błąd korpusu
            failures.append(str(err))
            continue
        sizes[reg] += len(t.strip())
        if n in heldout:
            held_sizes[reg] += len(t.strip())
    print("rejestry (znaki, w tym odłożone):")
    for reg in sorted(sizes, key=lambda r: -sizes[r]):
        print(f"   {reg:20s} {sizes[reg]:>9,}  odłożone {held_sizes[reg]:>7,}".replace(",", " "))
        if sizes[reg] < BOUNDS["register_characters"]:
            failures.append(f"rejestr {reg}: {sizes[reg]} znaków < {BOUNDS['register_characters']}")
        if not held_sizes[reg]:
            failures.append(f"rejestr {reg} nie ma dokumentu w części odłożonej")
    if len(sizes) < BOUNDS["registers"]:
        failures.append(f"rejestrów {len(sizes)} < {BOUNDS['registers']}")
    hshare = sum(held_sizes.values()) / max(chars, 1)
    print(f"część odłożona: {sum(held_sizes.values()):,} znaków = {100 * hshare:.1f} % (granica ≥ 10 %)".replace(",", " "))
    if hshare < BOUNDS["heldout_share"]:
        failures.append(f"część odłożona {100 * hshare:.1f} % < 10 %")

    if failures:
        print("GRANICE NIESPEŁNIONE: " + "; ".join(failures))
        return 1
    print("Korpus spełnia wszystkie granice.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
