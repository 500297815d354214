"""Dalszy trening (dostrajanie) małego GPT na nowym tekście (rozdział 10, część opcjonalna).

Algorytm:

1. Tekst (np. książka z Wolnych Lektur, :func:`llmkurs.corpus.download_book`) dzielimy na część
   treningową i odłożoną: ostatnie ``heldout_share`` znaków (od granicy akapitu) to część
   odłożona, na której model się nie uczy.
2. Mierzymy stratę (nat na token) na części odłożonej **przed** treningiem.
3. Trenujemy ``steps`` kroków AdamW na losowych oknach części treningowej (jak
   :func:`llmkurs.model.train_steps`), na GPU, jeśli jest, i z limitem czasu ``max_seconds``.
4. Mierzymy stratę na części odłożonej **po** treningu i zwracamy obie liczby.

Model zmienia się w miejscu – żeby zachować oryginał, przekaż kopię (``copy.deepcopy(model)``).
:func:`colab_demo` to komórka z rozdziału 10: działa tylko w Colabie z internetem, a gdzie
indziej od razu (bez łączenia się z siecią) zwraca polską notkę, że pomija trening.
"""

from __future__ import annotations

import math
import sys
import time

import torch
import torch.nn.functional as F

from llmkurs.errors import KursError, require, require_type
from llmkurs.model import text_loss
from llmkurs.polish import decimal_pl


def split_text(text: str, heldout_share: float = 0.1) -> tuple[str, str]:
    """Podziel tekst na (treningowy, odłożony): odłożony to ostatnie ok. ``heldout_share`` znaków,
    zaczynające się od początku akapitu, jeśli taki jest w pobliżu."""
    require_type(text, str, "Tekst do treningu musi być napisem (str).")
    require(isinstance(heldout_share, (int, float)) and 0.0 < float(heldout_share) < 0.5,
            "Udział części odłożonej (heldout_share) musi być liczbą z przedziału (0; 0,5), np. 0.1.")
    text = text.strip()
    require(text != "", "Tekst do treningu jest pusty: podaj książkę albo dłuższy fragment.")
    cut = int(len(text) * (1.0 - float(heldout_share)))
    paragraph = text.rfind("\n\n", 0, cut)
    if paragraph > cut * 0.9:  # granica akapitu niedaleko: tniemy na niej
        cut = paragraph
    return text[:cut].strip(), text[cut:].strip()


def default_device() -> str:
    """``"cuda"``, jeśli PyTorch widzi kartę graficzną, w przeciwnym razie ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def continue_training(model, tokenizer, text: str, steps: int = 200, *, batch_size: int = 16,
                      lr: float = 3e-4, heldout_share: float = 0.1, device: str | None = None,
                      max_seconds: float | None = None, seed: int = 123, log=None) -> dict:
    """Dalszy trening ``model`` na ``text``; strata na odłożonej części tekstu przed i po.

    Zwraca słownik: ``heldout_before``, ``heldout_after`` (nat na token), ``steps`` (wykonane
    kroki – mniej niż zadane, jeśli skończył się czas ``max_seconds``), ``train_tokens``,
    ``heldout_tokens``, ``device`` i ``seconds``. Losowanie okien zależy tylko od ``seed``.
    ``log`` (np. ``print``) dostaje wiersz co jakiś czas. Model zostaje na CPU w trybie ewaluacji.
    """
    from llmkurs.model import GPTModel

    require_type(model, GPTModel, "Pierwszym argumentem musi być GPTModel (np. z load_mini_gpt()).")
    require(isinstance(steps, int) and not isinstance(steps, bool) and steps >= 1,
            "Liczba kroków (steps) musi być dodatnią liczbą całkowitą, np. 200.")
    require(isinstance(batch_size, int) and not isinstance(batch_size, bool) and batch_size >= 1,
            "Rozmiar paczki (batch_size) musi być dodatnią liczbą całkowitą.")
    require(isinstance(lr, (int, float)) and 0 < lr < 1, "Współczynnik uczenia (lr) musi być liczbą z przedziału (0; 1), np. 3e-4.")
    require(max_seconds is None or (isinstance(max_seconds, (int, float)) and max_seconds > 0),
            "Limit czasu (max_seconds) musi być dodatnią liczbą sekund albo None.")
    train_text, heldout_text = split_text(text, heldout_share)
    ctx = model.cfg.context_length
    train_ids = torch.tensor(tokenizer.encode(train_text), dtype=torch.long)
    heldout_ids = torch.tensor(tokenizer.encode(heldout_text), dtype=torch.long)
    require(train_ids.numel() > ctx + 1,
            f"Tekst jest za krótki: część treningowa ma {train_ids.numel()} tokenów, a model potrzebuje więcej niż {ctx + 1} – podaj dłuższy tekst.")
    require(heldout_ids.numel() >= 2, "Część odłożona tekstu jest za krótka: podaj dłuższy tekst albo zwiększ heldout_share.")
    require(int(max(train_ids.max(), heldout_ids.max())) < model.cfg.vocab_size,
            "Tokenizator ma więcej tokenów niż model: użyj pary (model, tokenizator) z load_mini_gpt().")
    device = device or default_device()
    require(device in ("cpu", "cuda") or str(device).startswith("cuda:"), "Urządzenie (device) musi być \"cpu\" albo \"cuda\".")
    require(not str(device).startswith("cuda") or torch.cuda.is_available(),
            "PyTorch nie widzi karty graficznej: użyj device=\"cpu\" (albo w Colabie włącz GPU w ustawieniach środowiska).")

    start_time = time.perf_counter()
    model.to(device)
    try:
        before = text_loss(model, heldout_ids, ctx)
        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "emb" not in n]
        no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "emb" not in n)]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                                       {"params": no_decay, "weight_decay": 0.0}], lr=lr)
        model.train()
        done = 0
        every = max(1, steps // 10)
        for step in range(steps):
            if max_seconds is not None and time.perf_counter() - start_time > max_seconds:
                break
            for group in optimizer.param_groups:  # kosinusowo do 10 % (jak train_steps)
                group["lr"] = lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
            starts = torch.randint(0, train_ids.numel() - ctx - 1, (batch_size,), generator=gen).tolist()
            x = torch.stack([train_ids[s:s + ctx] for s in starts]).to(device)
            y = torch.stack([train_ids[s + 1:s + ctx + 1] for s in starts]).to(device)
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            done += 1
            if log is not None and (done % every == 0 or done == steps):
                log(f"krok {done}/{steps}: strata treningowa {decimal_pl(loss.item(), 3)}")
        after = text_loss(model, heldout_ids, ctx)
    finally:
        model.to("cpu")
        model.eval()
    return {"heldout_before": before, "heldout_after": after, "steps": done,
            "train_tokens": int(train_ids.numel()), "heldout_tokens": int(heldout_ids.numel()),
            "device": str(device), "seconds": time.perf_counter() - start_time}


def in_colab() -> bool:
    """Czy notatnik działa w Google Colab (moduł ``google.colab`` jest wczytany)?"""
    return "google.colab" in sys.modules


def colab_demo(model, tokenizer, slug: str = "pan-tadeusz", *, steps: int = 300, max_seconds: float = 180.0,
               force: bool = False, log=print, **download_options) -> str:
    """Opcjonalna komórka rozdziału 10: pobierz książkę i dotrenuj na niej kopię modelu.

    Poza Colabem (i bez ``force=True``) od razu zwraca polską notkę, że pomija trening – bez
    łączenia się z siecią, więc zapisany notatnik i nbval są szybkie i powtarzalne. Brak internetu
    to też notka, a nie błąd. Zwraca zdanie z wynikiem (strata przed i po na odłożonej części
    książki). ``download_options`` trafiają do :func:`llmkurs.corpus.download_book`.
    """
    import copy

    from llmkurs.corpus import download_book

    if not (force or in_colab()):
        return ("Pomijam dalszy trening: ta komórka działa tylko w Colabie z internetem "
                "(tu nie ma Colaba, więc niczego nie pobieram).")
    try:
        text = download_book(slug, **download_options)
    except KursError as err:
        return f"Pomijam dalszy trening: {err}"
    result = continue_training(copy.deepcopy(model), tokenizer, text, steps, max_seconds=max_seconds, log=log)
    change = result["heldout_after"] - result["heldout_before"]
    return (f"Książka „{slug}”: {result['train_tokens']} tokenów treningowych, {result['heldout_tokens']} odłożonych; "
            f"{result['steps']} kroków na {result['device']} w {result['seconds']:.0f} s. Strata na odłożonej części książki: "
            f"przed {decimal_pl(result['heldout_before'], 3)}, po {decimal_pl(result['heldout_after'], 3)} nat na token "
            f"({'spadła' if change < 0 else 'nie spadła'} o {decimal_pl(abs(change), 3)}).")
