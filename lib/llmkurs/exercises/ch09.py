"""Ćwiczenia rozdziału 9 (mały GPT) z automatycznym sprawdzaniem.

1. :func:`check_1` – liczba parametrów jednego bloku transformera o ``emb_dim = 128`` (na kartce).
2. :func:`check_2` – własna funkcja ``top_k_logits(logits, k)``.
3. :func:`check_3` – zmiana komórki 9.7: liczba parametrów małego GPT po odwróceniu ``tie_weights``.
4. :func:`check_4` – zmiana komórki 9.8: ile razy wypada „naprzód” w 1000 losowaniach przy T = 2.
5. :func:`check_5` – własna normalizacja warstwy ``layer_norm(x)`` (bez ``scale`` i ``shift``).

Żadne sprawdzenie nie zmienia stanu losowości notatnika (własne ``torch.Generator``).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from llmkurs.exercises.common import Feedback, not_done

#: Wymiar wektorów bloku, dla którego liczymy parametry w ćwiczeniu 1 (stały, niezależny od małego GPT).
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


def mini_config():
    """Konfiguracja wytrenowanego małego GPT (z ``config.json`` w pakiecie)."""
    import json

    from llmkurs.model import MINI_GPT_DIR, GPTConfig

    return GPTConfig.from_dict(json.loads((MINI_GPT_DIR / "config.json").read_text(encoding="utf-8")))


def flipped_tie_parameters(cfg=None) -> int:
    """Liczba parametrów małego GPT z odwrotnym ustawieniem ``tie_weights`` (model na ``meta``)."""
    from llmkurs.model import GPTConfig, GPTModel, count_parameters

    cfg = cfg or mini_config()
    flipped = GPTConfig(**{**cfg.to_dict(), "tie_weights": not cfg.tie_weights})
    with torch.device("meta"):
        return count_parameters(GPTModel(flipped))


def check_3(odpowiedz) -> Feedback:
    """Ćwiczenie 3: liczba parametrów małego GPT po odwróceniu ``tie_weights`` w komórce 9.7."""
    if odpowiedz is None:
        return not_done("liczbę parametrów")
    if isinstance(odpowiedz, bool) or not isinstance(odpowiedz, (int, float)) or odpowiedz != int(odpowiedz):
        return Feedback(False, "podaj jedną liczbę całkowitą: count_parameters(model) po zmianie komórki.")
    from llmkurs.model import GPTModel, count_parameters

    cfg = mini_config()
    good = flipped_tie_parameters(cfg)
    with torch.device("meta"):
        current = count_parameters(GPTModel(cfg))
    vd = cfg.vocab_size * cfg.emb_dim
    odpowiedz = int(odpowiedz)
    if odpowiedz == good:
        what = "odpada" if good < current else "dochodzi"
        return Feedback(True, f"{what} dokładnie V·d = {cfg.vocab_size}·{cfg.emb_dim} = {vd:,} parametrów macierzy wyjściowej – "
                              "przy wspólnych wagach ta sama macierz służy za osadzenia tokenów i za warstwę wyjściową.".replace(",", " "))
    if odpowiedz == current:
        return Feedback(False, "to liczba parametrów modelu bez zmiany: w komórce 9.7 utwórz model z odwrotnym tie_weights i policz jeszcze raz.")
    if abs(odpowiedz - current) == vd:
        return Feedback(False, "różnica V·d jest dobra, ale kierunek nie: sprawdź, czy mały GPT ma teraz wspólne wagi (mini_cfg.tie_weights).")
    return Feedback(False, "zmień w komórce 9.7 konfigurację na GPTConfig(**{**mini_cfg.to_dict(), \"tie_weights\": not mini_cfg.tie_weights}) i wpisz count_parameters(model).")


#: Logity z przykładu z książki (komórka 9.8) i indeks tokenu „naprzód”.
BOOK_LOGITS = (4.51, 0.89, -1.90, 6.75, 1.63, -1.62, -1.89, 6.28, 1.79)
FORWARD_INDEX = 3


def sampled_count(temperature: float, seed: int = 123, n: int = 1000) -> int:
    """Ile razy wypada „naprzód” w ``n`` losowaniach z softmax(logity / T) po ``torch.manual_seed(seed)``.

    Liczymy własnym ``torch.Generator`` z tym samym ziarnem (ten sam ciąg liczb co
    ``torch.manual_seed``), więc sprawdzenie nie zmienia stanu losowości w notatniku.
    """
    probas = torch.softmax(torch.tensor(BOOK_LOGITS) / temperature, dim=0)
    gen = torch.Generator().manual_seed(seed)
    return sum(torch.multinomial(probas, num_samples=1, generator=gen).item() == FORWARD_INDEX for _ in range(n))


def check_4(odpowiedz) -> Feedback:
    """Ćwiczenie 4: liczba „naprzód” w 1000 losowaniach przy T = 2 (komórka 9.8 zmieniona)."""
    if odpowiedz is None:
        return not_done("liczbę wylosowań „naprzód”")
    if isinstance(odpowiedz, torch.Tensor) and odpowiedz.numel() == 1:
        odpowiedz = odpowiedz.item()
    if isinstance(odpowiedz, bool) or not isinstance(odpowiedz, (int, float)) or odpowiedz != int(odpowiedz):
        return Feedback(False, "podaj jedną liczbę całkowitą od 0 do 1000.")
    odpowiedz = int(odpowiedz)
    p = torch.softmax(torch.tensor(BOOK_LOGITS) / 2.0, dim=0)[FORWARD_INDEX].item()
    good = sampled_count(2.0)
    sigma = math.sqrt(1000 * p * (1 - p))
    if odpowiedz == good:
        return Feedback(True, f"przy T = 2 „naprzód” ma prawdopodobieństwo {p:.3f}".replace(".", ",")
                              + " (przy T = 1 większe), więc wypada rzadziej: wyższa temperatura oddaje część masy słabszym tokenom.")
    if odpowiedz == sampled_count(1.0):
        return Feedback(False, "to wynik przy T = 1: w komórce 9.8 zamień probas na torch.softmax(next_token_logits / 2, dim=0) i uruchom ją jeszcze raz.")
    if odpowiedz == sampled_count(0.5):
        return Feedback(False, "to wynik przy T = 0,5 (logity pomnożone przez 2): podziel logity przez 2.")
    if abs(odpowiedz - 1000 * p) <= 4 * sigma:
        return Feedback(False, "liczba jest bliska oczekiwanej, ale nie tej z ziarna 123: zostaw torch.manual_seed(123) przed losowaniem.")
    return Feedback(False, "policz, ile razy w 1000 losowaniach z torch.softmax(next_token_logits / 2, dim=0) wypada indeks 3 („naprzód”).")


def check_5(layer_norm) -> Feedback:
    """Ćwiczenie 5: ``layer_norm(x)`` – średnia 0 i wariancja 1 wzdłuż ostatniego wymiaru (eps = 1e-5)."""
    if layer_norm is None:
        return not_done("funkcję layer_norm")
    if not callable(layer_norm):
        return Feedback(False, "przekaż funkcję (bez nawiasów), np. check_5(layer_norm).")
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
