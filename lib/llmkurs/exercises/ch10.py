"""Ćwiczenia rozdziału 10 (trening, ocena i czarna skrzynka) z automatycznym sprawdzaniem.

1. :func:`check_1` – zmiana komórki 10.1: dłuższy trening miniaturowego modelu; czy jego strata
   odłożona spadnie poniżej unigramu? (najpierw przewidywanie).
2. :func:`check_2` – zmiana komórki 10.4: własna para minimalna i przewidywanie, czy model ją trafi.
3. :func:`check_3` – z tabeli punktów odniesienia: o ile procent (w natach na znak) model jest
   lepszy od lepszego z dwóch modeli n-gramowych.
4. :func:`check_4` – zmiana komórki 10.5: katalog głów na innym dokumencie odłożonym; czy
   najważniejsza głowa (największy wzrost straty po wyłączeniu) zostanie ta sama?

Sprawdzenia nie losują (nie zmieniają stanu losowości notatnika) i nie przyjmują liczb, które
rozdział drukuje: trzeba uruchomić zmienioną komórkę albo policzyć coś nowego.
"""

from __future__ import annotations

import math
from functools import lru_cache

from llmkurs.exercises.common import Feedback, not_done

#: Ile kroków musi mieć dłuższy trening w ćwiczeniu 1.
MIN_STEPS_1 = 300
#: Długość wycinka (w tokenach) miniaturowego treningu z komórki 10.1, na którym mierzymy stratę.
DEMO_HELDOUT_TOKENS = 1024
#: Numer dokumentu odłożonego, na którym rozdział liczy katalog głów.
CATALOGUE_DOCUMENT = 0


def _pl(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}".replace(".", ",").replace("-", "−")


def _is_bool(x) -> bool:
    return isinstance(x, bool)


@lru_cache(maxsize=1)
def demo_unigram_loss() -> float:
    """Strata unigramu (nat na token) na tym samym wycinku części odłożonej co trening z 10.1:
    tokeny 2…1024 z ``tokenizer.encode(load_corpus("heldout"))`` (pierwszy jest tylko kontekstem)."""
    from llmkurs.corpus import load_corpus, load_documents
    from llmkurs.ngram import Unigram
    from llmkurs.tokenizer import polish_tokenizer

    tokenizer = polish_tokenizer()
    uni = Unigram(tokenizer.n_vocab).fit([tokenizer.encode(d) for d in load_documents("train")])
    held = tokenizer.encode(load_corpus("heldout"))[:DEMO_HELDOUT_TOKENS]
    return uni.sequence_nll(held[1:]) / (len(held) - 1)


def check_1(historia, przewidywanie) -> Feedback:
    """Ćwiczenie 1: dziennik ``train_steps`` z co najmniej 300 krokami i przewidywanie (True/False):
    czy strata odłożona na końcu będzie niższa niż unigramu."""
    if historia is None or przewidywanie is None:
        return not_done("przewidywanie (True albo False) i dziennik treningu (history)")
    if not _is_bool(przewidywanie):
        return Feedback(False, "przewidywanie zapisz jako True (model będzie lepszy od unigramu) albo False.")
    if not isinstance(historia, dict) or not {"step", "eval_step", "heldout_loss"} <= set(historia):
        return Feedback(False, "przekaż słownik zwrócony przez train_steps(...) (zmienną history z komórki 10.1).")
    steps = historia["step"][-1] if historia["step"] else 0
    if steps < MIN_STEPS_1:
        return Feedback(False, f"ten trening ma {steps} kroków: w komórce 10.1 zmień steps=60 na co najmniej {MIN_STEPS_1} i uruchom ją jeszcze raz.")
    final = float(historia["heldout_loss"][-1])
    if not math.isfinite(final):
        return Feedback(False, "strata odłożona w dzienniku nie jest skończoną liczbą: uruchom komórkę 10.1 jeszcze raz bez zmian poza steps.")
    uni = demo_unigram_loss()
    better = final < uni
    verdict = "niższa" if better else "nie jest niższa"
    guess = "Przewidywanie się sprawdziło." if przewidywanie == better else "Przewidywanie się nie sprawdziło – warto zobaczyć, dlaczego."
    return Feedback(True, f"po {steps} krokach strata odłożona to {_pl(final)} nat na token, a unigramu {_pl(uni)}: "
                          f"{verdict} od unigramu. {guess} Model musi najpierw nauczyć się częstości tokenów "
                          "(tyle umie unigram), a dopiero potem korzysta z kontekstu.")


def _probe_key(p: dict) -> tuple:
    return (p["context_a"], p["form_a"], p["context_b"], p["form_b"])


def check_2(proba, przewidywanie) -> Feedback:
    """Ćwiczenie 2: własna para minimalna (słownik jak w ``load_grammar_probes()``) i przewidywanie
    (True/False), czy model da jej dodatni wynik."""
    from llmkurs.model import load_grammar_probes, probe_scores
    from llmkurs.widgets.ch09 import mini_gpt

    if proba is None or przewidywanie is None:
        return not_done("własną próbę (słownik) i przewidywanie (True albo False)")
    if not _is_bool(przewidywanie):
        return Feedback(False, "przewidywanie zapisz jako True (model trafi) albo False.")
    if not isinstance(proba, dict):
        return Feedback(False, "próba to słownik z kluczami category, context_a, form_a, context_b, form_b.")
    proba = {"category": "własna", **proba}
    try:
        for key in ("context_a", "form_a", "context_b", "form_b"):
            if not isinstance(proba.get(key), str) or not proba[key].strip():
                return Feedback(False, f"pole {key} musi być niepustym napisem.")
        if proba["form_a"] == proba["form_b"] or proba["context_a"] == proba["context_b"]:
            return Feedback(False, "obie formy i oba konteksty muszą się różnić – inaczej wynik jest zawsze 0.")
        if not proba["form_a"].startswith(" ") or not proba["form_b"].startswith(" "):
            return Feedback(False, "formy zacznij od spacji (np. \" stole\"), bo dopisujemy je po kontekście jako osobne słowo.")
        if _probe_key(proba) in {_probe_key(p) for p in load_grammar_probes()}:
            return Feedback(False, "to jedna z 75 prób kursu: wymyśl własną parę (inne słowa).")
        model, tokenizer = mini_gpt()
        score = probe_scores(model, tokenizer, [proba])[0]
    except (ValueError, TypeError) as err:
        return Feedback(False, str(err))
    hit = score > 0
    guess = "Przewidywanie się sprawdziło." if przewidywanie == hit else "Przewidywanie się nie sprawdziło."
    return Feedback(True, f"wynik próby to {_pl(score)}: model {'ją trafia' if hit else 'jej nie trafia'} (trafienie = wynik > 0). "
                          f"{guess} Jedna para to jeszcze nie dowód – o umiejętności mówi dopiero trafność na wielu parach.")


def _char_nats(tabela, name: str) -> float:
    return float(tabela[name]["nat_na_znak"])


def check_3(odpowiedz, tabela) -> Feedback:
    """Ćwiczenie 3: o ile procent model ma mniej nat na znak niż lepszy z dwóch modeli
    n-gramowych (bigram tokenów, 5-gram znaków), z tabeli ``tabela`` z rozdziału."""
    if odpowiedz is None:
        return not_done("procent")
    if not isinstance(tabela, dict) or "mały GPT" not in tabela or not all(
            isinstance(v, dict) and "nat_na_znak" in v for v in tabela.values()):
        return Feedback(False, "przekaż słownik wyniki z komórki 10.3 (z wierszem „mały GPT”).")
    ngrams = [k for k in tabela if "Kneser" in k]
    if not ngrams:
        return Feedback(False, "w tabeli brakuje modeli Knesera–Neya: uruchom komórkę 10.3 jeszcze raz.")
    if isinstance(odpowiedz, bool) or not isinstance(odpowiedz, (int, float)) or not math.isfinite(odpowiedz):
        return Feedback(False, "podaj jedną liczbę: procent (np. 5.2 dla 5,2 %).")
    best_name = min(ngrams, key=lambda k: _char_nats(tabela, k))
    best, model = _char_nats(tabela, best_name), _char_nats(tabela, "mały GPT")
    good = 100 * (best - model) / best
    if abs(odpowiedz - good) <= 0.1:
        word = "mniej" if good > 0 else "więcej"
        return Feedback(True, f"model ma o {_pl(abs(good), 1)} % {word} nat na znak niż najlepszy n-gram ({best_name}). "
                              "Na znak, nie na token: ta miara nie zależy od tokenizatora.")
    if abs(odpowiedz - good / 100) <= 0.001:
        return Feedback(False, "to ułamek, a nie procent: pomnóż przez 100.")
    if abs(odpowiedz + good) <= 0.1:
        return Feedback(False, "znak jest odwrotny: policz (n-gram − model) / n-gram · 100.")
    per_token = [100 * (float(tabela[k]["nat_na_token"]) - float(tabela["mały GPT"]["nat_na_token"])) / float(tabela[k]["nat_na_token"])
                 for k in ngrams if "nat_na_token" in tabela[k] and "nat_na_token" in tabela["mały GPT"]]
    if any(abs(odpowiedz - x) <= 0.1 for x in per_token):
        return Feedback(False, "to wynik w natach na token: użyj kolumny nat_na_znak, niezależnej od tokenizatora.")
    others = [100 * (_char_nats(tabela, k) - model) / _char_nats(tabela, k) for k in ngrams if k != best_name]
    if any(abs(odpowiedz - x) <= 0.1 for x in others):
        return Feedback(False, "porównaj z lepszym z dwóch n-gramów (mniej nat na znak), nie z drugim.")
    return Feedback(False, "weź z tabeli nat_na_znak lepszego n-gramu (mniejszą liczbę) i modelu, potem (n-gram − model) / n-gram · 100.")


def _valid_stats(stats, n_layers: int, n_heads: int) -> bool:
    if not isinstance(stats, list) or len(stats) != n_layers * n_heads:
        return False
    return all(isinstance(s, dict) and {"layer", "head", "ablation"} <= set(s) for s in stats)


def _top(stats) -> tuple[int, int]:
    best = max(stats, key=lambda s: s["ablation"])
    return best["layer"], best["head"]


@lru_cache(maxsize=4)
def reference_stats(n_tokens: int) -> tuple:
    """Katalog głów rozdziału (dokument odłożony nr 0, ``n_tokens`` tokenów), jako krotka."""
    from llmkurs.model import head_stats
    from llmkurs.widgets.ch09 import mini_gpt
    from llmkurs.widgets.ch10 import heldout_slice

    model, tokenizer = mini_gpt()
    return tuple(head_stats(model, heldout_slice(tokenizer, n_tokens, CATALOGUE_DOCUMENT)))


def check_4(statystyki, przewidywanie, n_tokens: int) -> Feedback:
    """Ćwiczenie 4: katalog głów (``head_stats``) na innym dokumencie odłożonym i przewidywanie
    (True/False), że najważniejsza głowa będzie ta sama co w rozdziale."""
    from llmkurs.widgets.ch09 import mini_gpt

    if statystyki is None or przewidywanie is None:
        return not_done("przewidywanie (True albo False) i nowy katalog głów")
    if not _is_bool(przewidywanie):
        return Feedback(False, "przewidywanie zapisz jako True (ta sama głowa) albo False.")
    model, _ = mini_gpt()
    if not _valid_stats(statystyki, model.cfg.n_layers, model.cfg.n_heads):
        return Feedback(False, "przekaż listę zwróconą przez head_stats(gpt, ids_kat) z komórki 10.5.")
    ref = list(reference_stats(int(n_tokens)))
    if all(abs(a["ablation"] - b["ablation"]) < 1e-9 for a, b in zip(statystyki, ref)):
        return Feedback(False, f"to wciąż katalog z dokumentu {CATALOGUE_DOCUMENT}: w komórce 10.5 zmień DOKUMENT na inny numer i uruchom ją jeszcze raz.")
    (l1, h1), (l2, h2) = _top(ref), _top(statystyki)
    same = (l1, h1) == (l2, h2)
    guess = "Przewidywanie się sprawdziło." if przewidywanie == same else "Przewidywanie się nie sprawdziło."
    where = (f"ta sama głowa (warstwa {l1 + 1}, głowa {h1 + 1})" if same
             else f"inna głowa: warstwa {l2 + 1}, głowa {h2 + 1} zamiast warstwy {l1 + 1}, głowy {h1 + 1}")
    return Feedback(True, f"na nowym tekście najważniejsza jest {where}. {guess} Pomiar na jednym krótkim wycinku "
                          "to próbka: im dłuższy tekst, tym pewniejszy katalog.")
