"""Wytrenuj mały GPT kursu (rozdział 9) i zapisz go w ``lib/llmkurs/resources/mini_gpt/``.

Dane: część treningowa korpusu (``load_documents("train")``, dokumenty rozdzielone tokenem
``<|endoftext|>``), zakodowana tokenizerem kursu. Część odłożona (``load_corpus("heldout")``)
służy wyłącznie do mierzenia straty – model nigdy się na niej nie uczy.

Trening jest deterministyczny: ziarno 123 (wagi, losowanie okien, dropout), jeden wątek
obliczeń (``torch.set_num_threads(1)``), deterministyczne algorytmy PyTorcha. Na 2 rdzeniach trwa
kilka minut. Na końcu skrypt drukuje czas, końcowe straty i rozmiar pliku wag.

Zapisuje: ``config.json`` (konfiguracja ``GPTConfig``), ``model.safetensors`` (same tensory,
bez pickle) i ``training_log.json`` (strata w każdym kroku i strata odłożona co ``--eval-every``
kroków, do wykresu w rozdziale).

Użycie: ``python scripts/train_mini_gpt.py [--steps 1000] [--out FOLDER]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]

from llmkurs.corpus import load_corpus, load_documents  # noqa: E402
from llmkurs.model import (  # noqa: E402
    MINI_GPT_DIR,
    GPTConfig,
    GPTModel,
    count_parameters,
    load_model,
    save_model,
    text_loss,
    train_steps,
)
from llmkurs.tokenizer import (  # noqa: E402
    ENDOFTEXT,
    polish_tokenizer,
    tokenizer_fingerprint,  # noqa: E402
)

SEED = 123


def mini_config(vocab_size: int) -> GPTConfig:
    """Konfiguracja małego GPT kursu (ok. 1,8 mln parametrów, ok. 7 MB w float32)."""
    return GPTConfig(vocab_size=vocab_size, context_length=64, emb_dim=128, n_heads=4, n_layers=4,
                     drop_rate=0.25, qkv_bias=False)


def unigram_loss(train_ids: list[int], heldout_ids: list[int], vocab_size: int) -> float:
    """Strata modelu unigramowego (częstości tokenów z treningu, wygładzanie +1) na części odłożonej."""
    counts = Counter(train_ids)
    total = len(train_ids) + vocab_size
    targets = heldout_ids[1:]
    return -sum(math.log((counts[t] + 1) / total) for t in targets) / len(targets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Trening małego GPT kursu.")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--out", type=Path, default=MINI_GPT_DIR)
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    start = time.perf_counter()

    tokenizer = polish_tokenizer()
    train_ids = tokenizer.encode(ENDOFTEXT.join(load_documents("train")), allowed_special={ENDOFTEXT})
    heldout_ids = tokenizer.encode(load_corpus("heldout"))
    cfg = mini_config(tokenizer.n_vocab)
    print(f"tokeny: treningowe {len(train_ids)}, odłożone {len(heldout_ids)}; słownik {cfg.vocab_size}")

    torch.manual_seed(SEED)
    model = GPTModel(cfg)
    model.set_keep_weights(False)  # szybka uwaga PyTorcha (bez zapamiętywania wag)
    print(f"parametry: {count_parameters(model):,}".replace(",", " "))

    history = train_steps(model, train_ids, heldout_ids, steps=args.steps, batch_size=args.batch_size,
                          lr=args.lr, weight_decay=0.1, warmup=30, eval_every=args.eval_every,
                          seed=SEED, log=print)
    model.set_keep_weights(True)

    args.out.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out)
    (args.out / "model.safetensors").chmod(0o644)  # safetensors zapisuje z prawami 0600
    # sprawdzenie: wczytany model daje tę samą stratę odłożoną
    heldout = text_loss(load_model(args.out), heldout_ids)
    train_eval = text_loss(model, train_ids)
    uniform = math.log(cfg.vocab_size)
    unigram = unigram_loss(train_ids, heldout_ids, cfg.vocab_size)
    seconds = time.perf_counter() - start
    size = (args.out / "model.safetensors").stat().st_size

    log = {
        "config": cfg.to_dict(),
        "seed": SEED,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "train_tokens": len(train_ids),
        "heldout_tokens": len(heldout_ids),
        "parameters": count_parameters(model),
        **history,
        "final_train_loss": round(train_eval, 4),
        "final_heldout_loss": round(heldout, 4),
        "uniform_loss": round(uniform, 4),
        "unigram_loss": round(unigram, 4),
        "seconds": round(seconds, 1),
        "tokenizer_sha256": tokenizer_fingerprint(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
    }
    (args.out / "training_log.json").write_text(json.dumps(log, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"czas: {seconds:.1f} s")
    print(f"strata treningowa (cały tekst treningowy, bez dropoutu): {train_eval:.3f}")
    print(f"strata odłożona: {heldout:.3f}  (zgadywanie równomierne ln {cfg.vocab_size} = {uniform:.3f}, unigram {unigram:.3f})")
    print(f"plik wag: {size / 1e6:.2f} MB ({size} bajtów)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
