"""Pomiary tokenizatora kursu (rozdział 1): czas treningu, kompresja, szybkość kodowania.

Drukuje:
1. czas treningu BPE na części treningowej korpusu do rozmiaru słownika kursu,
2. kompresję (znaki na token) na części odłożonej: kurs, GPT-2, GPT-4 (cl100k),
3. czas kodowania części odłożonej przez nasz koder względem tiktoken:
   - ``from_tiktoken("gpt2")`` (ten sam słownik co tiktoken GPT-2, te same ID),
   - tokenizator kursu (inny słownik, ten sam tekst),
   zawsze z pustą pamięcią podręczną kawałków (najlepszy z kilku pomiarów),
a na końcu liczbę główną: ile razy nasz koder jest wolniejszy od tiktoken na tym samym słowniku.

Użycie: ``TIKTOKEN_CACHE_DIR=.cache/tiktoken .venv/bin/python bench/tokenizer.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))

from llmkurs.corpus import load_corpus  # noqa: E402
from llmkurs.errors import KursError  # noqa: E402
from llmkurs.tokenizer import (  # noqa: E402
    COURSE_VOCAB_SIZE,
    BPETokenizer,
    cl100k_encoding,
    gpt2_encoding,
    polish_tokenizer,
)


def best_time(fn, repeat: int = 10) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_encode_time(tok: BPETokenizer, text: str, repeat: int = 10) -> float:
    def run():
        tok._cache.clear()
        tok.encode(text)
    return best_time(run, repeat)


def main() -> int:
    train, held = load_corpus("train"), load_corpus("heldout")
    print(f"korpus: część treningowa {len(train)} znaków, odłożona {len(held)} znaków")

    runs = [best_time(lambda: BPETokenizer.train(train, COURSE_VOCAB_SIZE), 1) for _ in range(3)]
    print(f"trening BPE do {COURSE_VOCAB_SIZE} tokenów: {statistics.median(runs):.2f} s (mediana z 3)")

    course = polish_tokenizer()
    ratio_course = len(held) / len(course.encode(held))
    print(f"kompresja na części odłożonej (znaki na token): kurs ({course.vocab_size}) {ratio_course:.3f}", end="")
    try:
        gpt2, cl100k = gpt2_encoding(), cl100k_encoding()
    except KursError as err:
        print(f"\n{err}")
        return 1
    print(f", GPT-2 {len(held) / len(gpt2.encode(held)):.3f}, GPT-4 cl100k {len(held) / len(cl100k.encode(held)):.3f}")

    ours_gpt2 = BPETokenizer.from_tiktoken(gpt2)
    assert ours_gpt2.encode(held) == gpt2.encode(held)
    t_tiktoken = best_time(lambda: gpt2.encode(held))
    t_ours_gpt2 = cold_encode_time(ours_gpt2, held)
    t_course = cold_encode_time(course, held)
    t_cl_tiktoken = best_time(lambda: cl100k.encode(held))
    t_cl_ours = cold_encode_time(BPETokenizer.from_tiktoken(cl100k), held)
    ms = 1000
    print(f"kodowanie części odłożonej: tiktoken GPT-2 {t_tiktoken * ms:.1f} ms, "
          f"nasz koder na słowniku GPT-2 {t_ours_gpt2 * ms:.1f} ms, "
          f"tokenizator kursu {t_course * ms:.1f} ms ({t_course / t_tiktoken:.1f}× tiktoken GPT-2)")
    print(f"kodowanie na słowniku GPT-4 cl100k: nasz koder / tiktoken = {t_cl_ours / t_cl_tiktoken:.1f}×")
    print(f"kodowanie: nasz koder / tiktoken (ten sam słownik GPT-2) = {t_ours_gpt2 / t_tiktoken:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
