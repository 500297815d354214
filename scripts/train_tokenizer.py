"""Wytrenuj tokenizator kursu od nowa i zapisz go w pakiecie (rozdział 1).

Trening jest deterministyczny (remisy rozstrzyga porządek bajtów par), więc ten sam korpus daje
zawsze te same pliki. Po każdej zmianie korpusu (``lib/llmkurs/resources/corpus/``) wystarczy::

    .venv/bin/python scripts/train_tokenizer.py            # rozmiar słownika: COURSE_VOCAB_SIZE
    .venv/bin/python scripts/train_tokenizer.py --check    # tylko sprawdź, czy pliki są aktualne

Pliki: ``lib/llmkurs/resources/tokenizer/{vocab.json,merges.txt,config.json}``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from llmkurs.corpus import load_corpus  # noqa: E402
from llmkurs.tokenizer import COURSE_VOCAB_SIZE, _resource_dir, train_polish_tokenizer  # noqa: E402

NAMES = ("vocab.json", "merges.txt", "config.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab-size", type=int, default=COURSE_VOCAB_SIZE)
    parser.add_argument("--check", action="store_true", help="nie zapisuj, tylko porównaj z plikami w pakiecie")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    tok = train_polish_tokenizer(args.vocab_size)
    seconds = time.perf_counter() - start
    held = load_corpus("heldout")
    ratio = len(held) / len(tok.encode(held))
    print(f"trening: {len(load_corpus('train'))} znaków, {tok.vocab_size} tokenów, {seconds:.2f} s; "
          f"część odłożona: {ratio:.3f} znaku na token")

    target = _resource_dir()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            tok.save(tmp)
            stale = [n for n in NAMES if not (target / n).exists()
                     or (target / n).read_bytes() != (Path(tmp) / n).read_bytes()]
        if stale:
            print("Nieaktualne pliki tokenizera: " + ", ".join(stale) + " – uruchom scripts/train_tokenizer.py.")
            return 1
        print("Pliki tokenizatora są aktualne.")
        return 0
    tok.save(target)
    print(f"zapisano: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
