"""Jakość małego GPT kursu na części odłożonej korpusu, w porównaniu z uczciwymi punktami odniesienia.

Drukuje (nat na token i nat na znak): rozkład jednostajny, unigram, bigram tokenów
Knesera–Neya (tokenizator kursu), 5-gram znaków Knesera–Neya (niezależny od tokenizatora),
dla informacji mocniejsze warianty (trigram tokenów, 7-gram znaków), i model. Potem trafność
prób gramatycznych (model, bigram, unigram) i udział słów znanych hunspellowi (pl_PL) w 2000
słowach wygenerowanych przez model (zachłannie oraz T = 0,8, top-k 40, z 10 promptów).
Ostatnia linia: o ile procent model jest lepszy od lepszego z dwóch wymaganych punktów
odniesienia (bigram tokenów, 5-gram znaków), w natach na znak.

    .venv/bin/python bench/model.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import torch

from llmkurs import ngram
from llmkurs.corpus import load_documents
from llmkurs.model import (
    _doc_ids,
    corpus_nll,
    generate,
    grammar_probe,
    load_grammar_probes,
    load_mini_gpt,
    load_training_log,
)

PROMPTS = [
    "Kot siedział na", "Wczoraj wieczorem", "W Krakowie", "Moja babcia", "Najważniejsze jest to, że",
    "Pociąg do Gdańska", "Szanowni Państwo,", "Dzieci wybiegły z", "Gdy woda się zagotuje,", "Przez okno",
]
WORD = re.compile(r"[^\W\d_]+")


#: Najwięcej tokenów dopisywanych do jednego promptu w jednym wariancie: wybór zachłanny potrafi wpaść
#: w pętlę bez słów (same cyfry, kreski, nowe wiersze) i bez limitu nigdy nie dałby swoich słów.
MAX_TOKENS_PER_SAMPLE = 600


def generated_words(model, tokenizer, n_words: int = 2000) -> tuple[list[str], int]:
    """Słowa z tekstów wygenerowanych z PROMPTS: po równo zachłannie i z T = 0,8, top-k 40.

    Gdy wybór zachłanny da w ``MAX_TOKENS_PER_SAMPLE`` tokenach mniej słów niż jego przydział,
    brakujące słowa dobieramy z dłuższego losowania z tego samego promptu. Zwraca słowa i liczbę
    tak dobranych słów.
    """
    per_sample = n_words // (2 * len(PROMPTS))
    words: list[str] = []
    topped_up = 0
    gen = torch.Generator().manual_seed(123)
    ctx = model.cfg.context_length

    def sample(prompt: str, want: int, temperature: float, top_k: int | None) -> list[str]:
        ids = torch.tensor([_doc_ids(tokenizer, prompt)])
        start = ids.shape[1]
        got: list[str] = []
        while len(got) < want and ids.shape[1] - start < MAX_TOKENS_PER_SAMPLE:
            ids = generate(model, ids, 40, ctx, temperature=temperature, top_k=top_k, generator=gen)
            got = WORD.findall(tokenizer.decode(ids[0, 1:].tolist())[len(prompt):])
        return got[:want]

    for prompt in PROMPTS:
        greedy = sample(prompt, per_sample, 0.0, None)
        missing = per_sample - len(greedy)
        sampled = sample(prompt, per_sample + missing, 0.8, 40)
        topped_up += max(0, len(sampled) - per_sample)
        words += greedy + sampled
    return words, topped_up


def hunspell_share(words: list[str]) -> float | None:
    if shutil.which("hunspell") is None:
        return None
    out = subprocess.run(["hunspell", "-d", "pl_PL", "-l"], input="\n".join(words), capture_output=True,
                         text=True, check=True).stdout.split("\n")
    unknown = [w for w in out if w]
    return 1 - len(unknown) / len(words)


def main() -> int:
    torch.set_num_threads(2)
    start = time.perf_counter()
    model, tokenizer = load_mini_gpt()
    train, held = load_documents("train"), load_documents("heldout")
    table = ngram.baselines(tokenizer, train, held, extra=True)
    total, count = corpus_nll(model, [_doc_ids(tokenizer, d) for d in held])
    n_chars = sum(len(d) for d in held)
    table["mały GPT kursu"] = {"nat_na_token": total / count, "nat_na_znak": total / n_chars}
    log = load_training_log()
    print(f"część odłożona: {len(held)} dokumentów, {n_chars} znaków, {count} tokenów; "
          f"model: {log['parameters']} parametrów, {log['config']}")
    print(f"{'model':34s} {'nat/token':>10s} {'nat/znak':>9s} {'perplexity (token)':>19s}")
    for name, row in table.items():
        print(f"{name:34s} {row['nat_na_token']:10.4f} {row['nat_na_znak']:9.4f} "
              f"{torch.tensor(row['nat_na_token']).exp().item():19.1f}")

    probes = load_grammar_probes()
    bos = tokenizer.special_tokens["<|endoftext|>"]
    train_tok = [tokenizer.encode(d) for d in train]
    bigram = ngram.KneserNey(2, tokenizer.n_vocab, bos=bos).fit(train_tok)
    unigram = ngram.Unigram(tokenizer.n_vocab).fit(train_tok)
    print(f"próby gramatyczne ({len(probes)} par):")
    for name, m in (("mały GPT", model), ("bigram tokenów", bigram), ("unigram", unigram)):
        acc = grammar_probe(m, tokenizer, probes)
        cats = ", ".join(f"{k} {100 * v:.0f} %" for k, v in acc.items() if k != "overall")
        print(f"   {name:15s} razem {100 * acc['overall']:5.1f} %  ({cats})")

    words, topped_up = generated_words(model, tokenizer)
    share = hunspell_share(words)
    if share is None:
        print("hunspell: brak programu (apt-get install hunspell hunspell-pl) – pominięto")
    else:
        print(f"słowa znane hunspellowi w {len(words)} wygenerowanych: {100 * share:.1f} % "
              f"({topped_up} z nich dobrane losowaniem, bo wybór zachłanny utknął bez słów)")

    best_name = min(("Kneser–Ney, 2-gram tokenów", "Kneser–Ney, 5-gram znaków"), key=lambda k: table[k]["nat_na_znak"])
    best = table[best_name]["nat_na_znak"]
    mine = table["mały GPT kursu"]["nat_na_znak"]
    print(f"czas pomiaru: {time.perf_counter() - start:.0f} s")
    print(f"mały GPT vs {best_name}: {mine:.4f} vs {best:.4f} nat/znak = {100 * (best - mine) / best:.1f} % mniej")
    return 0


if __name__ == "__main__":
    sys.exit(main())
