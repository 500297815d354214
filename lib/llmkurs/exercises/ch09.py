"""Ćwiczenia rozdziału 9 (mały GPT) z automatycznym sprawdzaniem.

1. :func:`check_1` – liczba parametrów jednego bloku transformera małego GPT (``emb_dim = 128``).
2. :func:`check_2` – własna funkcja ``top_k_logits(logits, k)``.
3. :func:`check_3` – perpleksja małego GPT na części odłożonej korpusu.
4. :func:`check_4` – własna normalizacja warstwy ``layer_norm(x)`` (bez ``scale`` i ``shift``).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from llmkurs.exercises.common import Feedback, feedback, not_done

#: Wymiar wektorów małego GPT, dla którego liczymy parametry bloku w ćwiczeniu 1.
EMB_DIM = 128


def block_parameters(d: int = EMB_DIM) -> int:
    """Liczba parametrów bloku transformera (bez obciążeń w Wq, Wk, Wv)."""
    attention = 3 * d * d + d * d + d
    feed_forward = d * 4 * d + 4 * d + 4 * d * d + d
    return attention + feed_forward + 2 * 2 * d


def check_1(odpowiedz) -> Feedback:
    """Ćwiczenie 1: liczba parametrów jednego bloku (``emb_dim = 128``, ``qkv_bias=False``)."""
    if odpowiedz is None:
        return not_done("liczbę parametrów")
    if isinstance(odpowiedz, bool) or not isinstance(odpowiedz, (int, float)) or odpowiedz != int(odpowiedz):
        return Feedback(False, "podaj jedną liczbę całkowitą, np. 123456.")
    d = EMB_DIM
    good = block_parameters(d)
    odpowiedz = int(odpowiedz)
    if odpowiedz == good:
        return Feedback(True, f"blok ma {good:,} parametrów: uwaga {4 * d * d + d:,}, sieć {8 * d * d + 5 * d:,}, dwie LayerNorm {4 * d}.".replace(",", " "))
    hints = {
        12 * d * d: "pominięte obciążenia (bias) w out_proj i w obu warstwach sieci oraz parametry LayerNorm.",
        12 * d * d + 6 * d: "policz jeszcze parametry dwóch LayerNorm (scale i shift, po emb_dim każdy).",
        good - 4 * d: "brakuje parametrów dwóch LayerNorm (scale i shift).",
        good + 3 * d: "w małym GPT qkv_bias=False: Wq, Wk, Wv nie mają obciążeń.",
        good - d: "out_proj ma obciążenie (bias) – dodaj emb_dim.",
    }
    hint = hints.get(odpowiedz, "policz osobno: Wq, Wk, Wv (bez bias), out_proj (z bias), dwie warstwy sieci 128→512→128 (z bias) i dwie LayerNorm.")
    return Feedback(False, hint)


def check_2(top_k_logits) -> Feedback:
    """Ćwiczenie 2: ``top_k_logits(logits, k)`` zostawia ``k`` największych logitów, resztę ustawia na −∞."""
    if top_k_logits is None:
        return not_done("funkcję top_k_logits")
    if not callable(top_k_logits):
        return Feedback(False, "przekaż funkcję (bez nawiasów), np. check_2(top_k_logits).")
    gen = torch.Generator().manual_seed(0)
    cases = [(torch.tensor([4.51, 0.89, -1.90, 6.75, 1.63, -1.62, -1.89, 6.28, 1.79]), 3),
             (torch.randn(2, 50, generator=gen), 5), (torch.randn(1, 10, generator=gen), 1),
             (torch.randn(7, generator=gen), 7)]
    for logits, k in cases:
        try:
            got = top_k_logits(logits.clone(), k)
        except Exception as err:  # noqa: BLE001 – błąd studenta pokazujemy jako podpowiedź
            return Feedback(False, f"funkcja zgłosiła błąd {type(err).__name__}: {err}")
        if got is None:
            return not_done("funkcję top_k_logits")
        if not isinstance(got, torch.Tensor) or got.shape != logits.shape:
            return Feedback(False, f"wynik musi być tensorem o kształcie wejścia {tuple(logits.shape)}.")
        top = torch.topk(logits, k, dim=-1).values[..., -1:]
        expected = torch.where(logits < top, torch.tensor(float("-inf")), logits)
        if not torch.equal(torch.isinf(got), torch.isinf(expected)):
            return Feedback(False, f"dla k={k} powinno zostać dokładnie k skończonych logitów w każdym wierszu; pozostałe ustaw na float('-inf') (nie na 0).")
        if not torch.allclose(got[~torch.isinf(got)], expected[~torch.isinf(expected)]):
            return Feedback(False, "zachowane logity muszą mieć swoje pierwotne wartości.")
    return Feedback(True, "softmax z takich logitów daje zero wszystkim tokenom spoza k najlepszych.")


def heldout_perplexity() -> float:
    """Perpleksja małego GPT na części odłożonej korpusu: exp(średnia strata)."""
    from llmkurs.corpus import load_corpus
    from llmkurs.model import text_loss
    from llmkurs.widgets.ch09 import mini_gpt

    model, tokenizer = mini_gpt()
    return math.exp(text_loss(model, tokenizer.encode(load_corpus("heldout"))))


def check_3(odpowiedz) -> Feedback:
    """Ćwiczenie 3: perpleksja małego GPT na ``load_corpus("heldout")`` (z dokładnością 1 %)."""
    if odpowiedz is None:
        return not_done("perpleksję")
    if isinstance(odpowiedz, torch.Tensor) and odpowiedz.numel() == 1:
        odpowiedz = odpowiedz.item()
    if isinstance(odpowiedz, bool) or not isinstance(odpowiedz, (int, float)):
        return Feedback(False, "podaj jedną liczbę (float).")
    good = heldout_perplexity()
    loss = math.log(good)
    if abs(odpowiedz - good) <= 0.01 * good:
        return Feedback(True, f"perpleksja ≈ {good:.0f}: model waha się średnio tak, jakby wybierał spośród ok. {good:.0f} równie prawdopodobnych tokenów (zamiast z całego słownika).")
    if abs(odpowiedz - loss) < 0.05:
        return Feedback(False, "to jest strata (średni logarytm); perpleksja to math.exp(strata).")
    return feedback(False, "", "policz stratę text_loss(model, ids) na ids = tokenizer.encode(load_corpus(\"heldout\")), a potem math.exp(strata).")


def check_4(layer_norm) -> Feedback:
    """Ćwiczenie 4: ``layer_norm(x)`` – średnia 0 i wariancja 1 wzdłuż ostatniego wymiaru (eps = 1e-5)."""
    if layer_norm is None:
        return not_done("funkcję layer_norm")
    if not callable(layer_norm):
        return Feedback(False, "przekaż funkcję (bez nawiasów), np. check_4(layer_norm).")
    gen = torch.Generator().manual_seed(1)
    for x in (torch.tensor([[1.0, 2.0, 3.0, 6.0]]), torch.randn(2, 5, 8, generator=gen) * 3 + 1, torch.randn(3, 2, generator=gen)):
        try:
            got = layer_norm(x.clone())
        except Exception as err:  # noqa: BLE001
            return Feedback(False, f"funkcja zgłosiła błąd {type(err).__name__}: {err}")
        if got is None:
            return not_done("funkcję layer_norm")
        if not isinstance(got, torch.Tensor) or got.shape != x.shape:
            return Feedback(False, f"wynik musi być tensorem o kształcie wejścia {tuple(x.shape)}.")
        expected = F.layer_norm(x, x.shape[-1:], eps=1e-5)
        if torch.allclose(got, expected, atol=1e-4):
            continue
        unbiased = (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True, unbiased=True) + 1e-5)
        if torch.allclose(got, unbiased, atol=1e-4):
            return Feedback(False, "użyj wariancji obciążonej (dzielonej przez n): x.var(dim=-1, keepdim=True, unbiased=False).")
        return Feedback(False, "odejmij średnią i podziel przez sqrt(wariancja + 1e-5), licząc wzdłuż ostatniego wymiaru (dim=-1, keepdim=True).")
    return Feedback(True, "to dokładnie F.layer_norm bez skali i przesunięcia.")
