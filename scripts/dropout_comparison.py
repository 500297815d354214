"""Po co dropout? Ten sam mały GPT wytrenowany dwa razy: z dropoutem i bez (rozdział 7).

Oba treningi mają ten sam przepis, ziarno, dane i liczbę kroków; różni je tylko ``drop_rate``.
Żeby zmieścić się w kilku minutach, model jest mniejszy niż mały GPT kursu (``COMPARISON``),
ale uczy się na tym samym korpusie i tym samym tokenizatorze. Zapisuje
``lib/llmkurs/resources/mini_gpt/dropout_comparison.json``: stratę treningową i odłożoną w kolejnych
krokach dla obu wariantów oraz odciski palców wejść (``--check`` je porównuje)::

    .venv/bin/python scripts/dropout_comparison.py          # kilka minut na 2 rdzeniach
    .venv/bin/python scripts/dropout_comparison.py --check
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_mini_gpt as t  # noqa: E402

from llmkurs.model import MINI_GPT_DIR  # noqa: E402
from llmkurs.tokenizer import polish_tokenizer  # noqa: E402

OUT = MINI_GPT_DIR / "dropout_comparison.json"

#: Mniejszy przepis porównania (te same pola co ``train_mini_gpt.RECIPE``, ale własne wartości:
#: zmiana przepisu małego GPT nie unieważnia porównania).
COMPARISON = {"context_length": 128, "emb_dim": 128, "n_heads": 4, "n_layers": 2, "drop_rate": 0.2,
              "qkv_bias": False, "tie_weights": True, "steps": 400, "batch_size": 32, "lr": 3e-3,
              "min_lr_ratio": 0.1, "warmup": 30, "weight_decay": 0.1, "eval_every": 50}
RATES = (0.0, 0.2)


def main(argv: list[str]) -> int:
    tokenizer = polish_tokenizer()
    want = {k: v for k, v in t.fingerprints(tokenizer, COMPARISON).items()}
    if "--check" in argv:
        data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        stale = [k for k, v in want.items() if data.get(k) != v]
        if stale:
            print("Porównanie dropoutu jest nieaktualne (" + ", ".join(stale) + "): uruchom scripts/dropout_comparison.py.")
            return 1
        print("Porównanie dropoutu pasuje do korpusu, tokenizatora i przepisu.")
        return 0
    runs = {}
    for rate in RATES:
        recipe = {**COMPARISON, "drop_rate": rate}
        print(f"drop_rate = {rate}")
        _, history = t.train(recipe, tokenizer)
        runs[str(rate)] = {k: history[k] for k in ("step", "train_loss", "eval_step", "heldout_loss",
                                                     "best_step", "best_heldout_loss", "seconds")}
    data = {"recipe": COMPARISON, "rates": list(RATES), "runs": runs, **want}
    OUT.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    for rate in RATES:
        r = runs[str(rate)]
        print(f"drop_rate {rate}: najlepsza strata odłożona {r['best_heldout_loss']:.4f} (krok {r['best_step']}), "
              f"końcowa {r['heldout_loss'][-1]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
