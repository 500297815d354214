"""Wytrenuj mały GPT kursu (rozdział 9) i zapisz go w ``lib/llmkurs/resources/mini_gpt/``.

Dane: część treningowa korpusu (``load_documents("train")``), każdy dokument poprzedzony tokenem
``<|endoftext|>``, zakodowana tokenizatorem kursu. Część odłożona (``load_documents("heldout")``)
służy wyłącznie do mierzenia straty i do wyboru punktu kontrolnego (ang. *checkpoint*) z
najmniejszą stratą odłożoną – model nigdy się na niej nie uczy.

Przepis siedzi w :data:`RECIPE`. Wybrały go próbne treningi ``scripts/recipe_search.py``
(dziennik: ``recipe_log.json``): przy tej samej liczbie tokenów paczka 8 okien dała wyraźnie
niższą stratę odłożoną niż 16 i 32, a współczynnik uczenia 4e-3 – wyższą niż 2e-3. Dropout 0,1
kosztował w krótkiej próbie mało straty, ale ok. 25 % czasu kroku; zostaje, bo pełny trening widzi
każdy token treningowy ponad 20 razy i bez regularyzacji groziłoby mu przeuczenie (niesprawdzone
w próbach). Liczbę kroków dobrano tak, żeby trening zmieścił się w 45 minutach na 2 rdzeniach.

Trening jest deterministyczny: ziarno 123 (wagi, losowanie okien, dropout), stała liczba wątków
(2), deterministyczne algorytmy PyTorcha, liczba kroków ustalona z góry (nie czas).
Współczynnik uczenia: rozgrzewka liniowa, potem spadek kosinusowy do 10 %.

Zapisuje: ``config.json`` (``GPTConfig``), ``model.safetensors`` (same tensory, bez pickle)
i ``training_log.json`` (strata w każdym kroku, strata odłożona co ``eval_every`` kroków,
odciski palców wejść: korpus, tokenizator, przepis – ``--check`` porównuje je z obecnymi).

Użycie::

    python scripts/train_mini_gpt.py                 # pełny trening (ok. 40 minut na 2 rdzeniach)
    python scripts/train_mini_gpt.py --check         # czy zapisany model pasuje do korpusu i tokenizatora
    python scripts/train_mini_gpt.py --steps 200 --out /tmp/m --set emb_dim=128   # próba
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]

from llmkurs.corpus import load_documents  # noqa: E402
from llmkurs.model import (  # noqa: E402
    GELU,
    MINI_GPT_DIR,
    GPTConfig,
    GPTModel,
    LayerNorm,
    calc_loss_batch,
    corpus_nll,
    count_parameters,
    load_model,
    save_model,
)
from llmkurs.tokenizer import ENDOFTEXT, polish_tokenizer, tokenizer_fingerprint  # noqa: E402

SEED = 123
THREADS = 2

#: Przepis treningu: architektura i optymalizacja (wartości wybrane pomiarem).
RECIPE = {
    "context_length": 128,
    "emb_dim": 256,
    "n_heads": 8,
    "n_layers": 4,
    "drop_rate": 0.1,
    "qkv_bias": False,
    "tie_weights": True,
    "steps": 7500,
    "batch_size": 8,
    "lr": 2e-3,
    "min_lr_ratio": 0.1,
    "warmup": 200,
    "weight_decay": 0.1,
    "eval_every": 500,
}

CONFIG_KEYS = ("context_length", "emb_dim", "n_heads", "n_layers", "drop_rate", "qkv_bias", "tie_weights")


def corpus_fingerprint() -> str:
    """sha256 tekstów części treningowej i odłożonej (z nazwami części)."""
    h = hashlib.sha256()
    for split in ("train", "heldout"):
        h.update(split.encode())
        for doc in load_documents(split):
            h.update(doc.encode("utf-8"))
            h.update(b"\0")
    return h.hexdigest()


def recipe_fingerprint(recipe: dict) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def encode_documents(tokenizer, split: str) -> list[list[int]]:
    bos = tokenizer.special_tokens[ENDOFTEXT]
    return [[bos, *tokenizer.encode(doc)] for doc in load_documents(split)]


def lr_at(step: int, recipe: dict) -> float:
    lr, warmup, steps = recipe["lr"], recipe["warmup"], recipe["steps"]
    if warmup and step < warmup:
        return lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    low = recipe["min_lr_ratio"]
    return lr * (low + (1 - low) * 0.5 * (1 + math.cos(math.pi * progress)))


@contextlib.contextmanager
def fused_kernels():
    """Na czas treningu LayerNorm i GELU kursu liczą się połączonymi funkcjami PyTorcha.

    Wzory są te same (``F.layer_norm`` z wariancją obciążoną, ``F.gelu(approximate="tanh")``),
    różnice są na poziomie zaokrągleń float32, a krok jest o ok. 10 % szybszy: klasy kursu
    liczą wzór krok po kroku, jak w rozdziale 9. Po treningu wszystko wraca do klas kursu.
    """
    saved = LayerNorm.forward, GELU.forward
    LayerNorm.forward = lambda self, x: F.layer_norm(x, (x.shape[-1],), self.scale, self.shift, self.eps)
    GELU.forward = lambda self, x: F.gelu(x, approximate="tanh")
    try:
        yield
    finally:
        LayerNorm.forward, GELU.forward = saved


def train(recipe: dict, tokenizer, log=print, threads: int = THREADS) -> tuple[GPTModel, dict]:
    """Trening według przepisu; zwraca model z najlepszego punktu kontrolnego i dziennik."""
    with fused_kernels():
        return _train(recipe, tokenizer, log, threads)


def _train(recipe: dict, tokenizer, log, threads: int) -> tuple[GPTModel, dict]:
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    train_docs = encode_documents(tokenizer, "train")
    held_docs = encode_documents(tokenizer, "heldout")
    train_ids = torch.tensor([t for d in train_docs for t in d], dtype=torch.long)
    held_chars = sum(len(d) for d in load_documents("heldout"))
    cfg = GPTConfig(vocab_size=tokenizer.n_vocab, **{k: recipe[k] for k in CONFIG_KEYS})
    ctx, bsz = cfg.context_length, recipe["batch_size"]
    log(f"tokeny: treningowe {train_ids.numel()}, odłożone {sum(len(d) - 1 for d in held_docs)}; słownik {cfg.vocab_size}")

    torch.manual_seed(SEED)
    model = GPTModel(cfg)
    model.set_keep_weights(False)
    log(f"parametry: {count_parameters(model):,}".replace(",", " "))
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "pos_emb" not in name else no_decay).append(p)
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": recipe["weight_decay"]},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=recipe["lr"], betas=(0.9, 0.95))
    gen = torch.Generator().manual_seed(SEED)
    history = {"step": [], "train_loss": [], "eval_step": [], "heldout_loss": [], "heldout_nats_per_char": [],
               "eval_seconds": []}
    best = (math.inf, 0, None)
    start = time.perf_counter()
    model.train()
    for step in range(recipe["steps"]):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, recipe)
        starts = torch.randint(0, train_ids.numel() - ctx - 1, (bsz,), generator=gen)
        idx = starts.unsqueeze(1) + torch.arange(ctx + 1)
        chunk = train_ids[idx]
        loss = calc_loss_batch(chunk[:, :-1], chunk[:, 1:], model)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        history["step"].append(step + 1)
        history["train_loss"].append(round(loss.item(), 4))
        if (step + 1) % recipe["eval_every"] == 0 or step + 1 == recipe["steps"]:
            total, count = corpus_nll(model, held_docs)
            model.train()
            held, per_char = total / count, total / held_chars
            elapsed = time.perf_counter() - start
            history["eval_step"].append(step + 1)
            history["heldout_loss"].append(round(held, 4))
            history["heldout_nats_per_char"].append(round(per_char, 4))
            history["eval_seconds"].append(round(elapsed, 1))
            if held < best[0]:
                best = (held, step + 1, copy.deepcopy(model.state_dict()))
            recent = history["train_loss"][-recipe["eval_every"]:]
            log(f"krok {step + 1:5d} ({elapsed / 60:5.1f} min): strata treningowa {sum(recent) / len(recent):.3f}, "
                f"odłożona {held:.4f} nat/token = {per_char:.4f} nat/znak")
    model.load_state_dict(best[2])
    model.eval()
    history["best_step"] = best[1]
    history["best_heldout_loss"] = round(best[0], 4)
    history["seconds"] = round(time.perf_counter() - start, 1)
    return model, history


def fingerprints(tokenizer, recipe: dict) -> dict:
    return {"corpus_sha256": corpus_fingerprint(), "tokenizer_sha256": tokenizer_fingerprint(),
            "recipe_sha256": recipe_fingerprint(recipe)}


def check(folder: Path) -> int:
    """Czy zapisany model powstał z obecnego korpusu, tokenizatora i przepisu (odciski palców)."""
    log = json.loads((folder / "training_log.json").read_text(encoding="utf-8"))
    want = fingerprints(polish_tokenizer(), RECIPE)
    stale = [k for k, v in want.items() if log.get(k) != v]
    if log.get("weights_sha256") != file_sha256(folder / "model.safetensors"):
        stale.append("weights_sha256")
    if stale:
        print("Mały GPT jest nieaktualny (" + ", ".join(stale) + "): uruchom python scripts/train_mini_gpt.py.")
        return 1
    print("Mały GPT pasuje do korpusu, tokenizatora i przepisu.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Trening małego GPT kursu.")
    parser.add_argument("--out", type=Path, default=MINI_GPT_DIR)
    parser.add_argument("--steps", type=int, help="inna liczba kroków (próby; zapis nie w pakiecie)")
    parser.add_argument("--set", action="append", default=[], metavar="KLUCZ=WARTOŚĆ",
                        help="zmień pole przepisu (próby), np. --set emb_dim=192")
    parser.add_argument("--check", action="store_true", help="tylko sprawdź odciski palców zapisanego modelu")
    parser.add_argument("--threads", type=int, default=THREADS, help="liczba wątków (próby równoległe)")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.out)

    recipe = dict(RECIPE)
    if args.steps:
        recipe["steps"] = args.steps
    for item in args.set:
        key, _, value = item.partition("=")
        if key not in recipe:
            parser.error(f"nieznane pole przepisu: {key}")
        recipe[key] = json.loads(value)
    if (recipe != RECIPE or args.threads != THREADS) and args.out.resolve() == MINI_GPT_DIR.resolve():
        parser.error("przepis różny od RECIPE: zapisz próbę gdzie indziej (--out)")

    tokenizer = polish_tokenizer()
    model, history = train(recipe, tokenizer, threads=args.threads)
    model.set_keep_weights(True)
    args.out.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out)
    weights = args.out / "model.safetensors"
    weights.chmod(0o644)  # safetensors zapisuje z prawami 0600
    # sprawdzenie: wczytany model daje tę samą stratę odłożoną
    held_docs = encode_documents(tokenizer, "heldout")
    total, count = corpus_nll(load_model(args.out), held_docs)
    reloaded = total / count
    log = {
        "config": model.cfg.to_dict(),
        "recipe": recipe,
        "seed": SEED,
        "parameters": count_parameters(model),
        "train_tokens": sum(len(d) for d in encode_documents(tokenizer, "train")),
        "heldout_tokens": count,
        "heldout_chars": sum(len(d) for d in load_documents("heldout")),
        **history,
        "final_heldout_loss": round(reloaded, 4),
        "uniform_loss": round(math.log(model.cfg.vocab_size), 4),
        **fingerprints(tokenizer, recipe),
        "weights_sha256": file_sha256(weights),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
    }
    (args.out / "training_log.json").write_text(json.dumps(log, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"czas: {history['seconds'] / 60:.1f} min; najlepszy krok {history['best_step']}")
    print(f"strata odłożona (wczytany model): {reloaded:.4f} nat/token = {total / log['heldout_chars']:.4f} nat/znak")
    print(f"plik wag: {weights.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
