"""Próbne treningi, z których wybrano przepis małego GPT (``train_mini_gpt.RECIPE``).

Każda próba to krótki trening tym samym skryptem, z kilkoma polami przepisu zmienionymi
(``--set``) i mniejszą liczbą kroków. Porównujemy stratę na części odłożonej w natach na znak
po tej samej liczbie **tokenów treningowych** (kroki × paczka × kontekst), a czas – w sekundach
na 2 rdzeniach. Wynik: ``lib/llmkurs/resources/mini_gpt/recipe_log.json`` (czytany w rozdziale 10).

Użycie::

    .venv/bin/python scripts/recipe_search.py                  # wszystkie próby po kolei (ok. 25 min)
    .venv/bin/python scripts/recipe_search.py --collect DIR    # zbierz próby już zrobione przez
        # train_mini_gpt.py --out DIR/<nazwa> --steps <kroki> --set ... (przepis w dzienniku musi się zgadzać)
    .venv/bin/python scripts/recipe_search.py --check          # czy dziennik pasuje do korpusu i tokenizatora

Próby są krótkie (3–4 minuty), więc faworyzują to, co uczy się szybko na starcie; długi trening
może je uszeregować inaczej. Dlatego dziennik zapisuje też, ile tokenów widziała każda próba.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_mini_gpt as t  # noqa: E402

from llmkurs.model import MINI_GPT_DIR  # noqa: E402
from llmkurs.tokenizer import polish_tokenizer  # noqa: E402

OUT = MINI_GPT_DIR / "recipe_log.json"

#: Punkt wyjścia prób: przepis pierwszego małego GPT (dropout 0,2, paczka 32).
BASE = {"context_length": 128, "emb_dim": 256, "n_heads": 8, "n_layers": 4, "drop_rate": 0.2,
        "qkv_bias": False, "tie_weights": True, "steps": 800, "batch_size": 32, "lr": 2e-3,
        "min_lr_ratio": 0.1, "warmup": 40, "weight_decay": 0.1, "eval_every": 100}

#: (nazwa, liczba kroków, zmienione pola) – w tej kolejności je uruchomiono. Próbę C (lr 8e-3)
#: przerwano przed pierwszym pomiarem, gdy B pokazała, że już 4e-3 jest gorsze od 2e-3.
TRIALS = [
    ("A", 200, {"drop_rate": 0.0, "warmup": 20, "eval_every": 100}),
    ("B", 200, {"drop_rate": 0.0, "warmup": 20, "eval_every": 100, "lr": 4e-3}),
    ("D", 400, {"drop_rate": 0.0, "warmup": 40, "eval_every": 200, "lr": 4e-3, "batch_size": 16}),
    ("E", 400, {"drop_rate": 0.0, "warmup": 40, "eval_every": 200, "lr": 2e-3, "batch_size": 16}),
    ("F", 400, {"drop_rate": 0.1, "warmup": 40, "eval_every": 200, "lr": 2e-3, "batch_size": 16}),
    ("G", 800, {"drop_rate": 0.0, "warmup": 80, "eval_every": 400, "lr": 2e-3, "batch_size": 8}),
]


def trial_recipe(steps: int, changes: dict) -> dict:
    return {**BASE, **changes, "steps": steps}


def summary(name: str, recipe: dict, history: dict, changes: dict) -> dict:
    return {
        "name": name,
        "changes": changes,
        "recipe": recipe,
        "steps": recipe["steps"],
        "train_tokens_seen": recipe["steps"] * recipe["batch_size"] * recipe["context_length"],
        "seconds": history["seconds"],
        "best_step": history["best_step"],
        "heldout_loss": history["best_heldout_loss"],
        "heldout_nats_per_char": min(history["heldout_nats_per_char"]),
    }


def main(argv: list[str]) -> int:
    tokenizer = polish_tokenizer()
    inputs = {k: v for k, v in t.fingerprints(tokenizer, BASE).items() if k != "recipe_sha256"}
    if "--check" in argv:
        data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        stale = [k for k, v in inputs.items() if data.get(k) != v]
        if stale or [tr["name"] for tr in data.get("trials", [])] != [n for n, _, _ in TRIALS]:
            print("Dziennik prób przepisu jest nieaktualny (" + (", ".join(stale) or "lista prób") +
                  "): uruchom scripts/recipe_search.py.")
            return 1
        print("Dziennik prób przepisu pasuje do korpusu, tokenizatora i listy prób.")
        return 0
    trials = []
    if "--collect" in argv:
        folder = Path(argv[argv.index("--collect") + 1])
        for name, steps, changes in TRIALS:
            log = json.loads((folder / name / "training_log.json").read_text(encoding="utf-8"))
            recipe = trial_recipe(steps, changes)
            if log["recipe"] != recipe:
                print(f"Próba {name}: przepis w dzienniku różni się od TRIALS – uruchom ją jeszcze raz.")
                return 1
            if any(log[k] != v for k, v in inputs.items()):
                print(f"Próba {name} powstała z innego korpusu albo tokenizatora – uruchom ją jeszcze raz.")
                return 1
            trials.append(summary(name, recipe, log, changes))
    else:
        for name, steps, changes in TRIALS:
            recipe = trial_recipe(steps, changes)
            print(f"próba {name}: {changes}, {steps} kroków")
            _, history = t.train(recipe, tokenizer)
            trials.append(summary(name, recipe, history, changes))
    data = {"base": BASE, "trials": trials, **inputs}
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for tr in trials:
        print(f"{tr['name']}: {tr['changes']} → {tr['heldout_nats_per_char']:.4f} nat/znak "
              f"po {tr['train_tokens_seen']} tokenach, {tr['seconds'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
