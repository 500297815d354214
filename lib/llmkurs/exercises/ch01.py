"""Ćwiczenia rozdziału 1 (Tokenizacja) z automatycznym sprawdzaniem.

1. :func:`check_1` – ile scaleń buduje pierwszy token słowa „ wejścia” (drzewo scaleń tokenu),
2. :func:`check_2` – słowo, które GPT-2 tnie na więcej niż pięć tokenów,
3. :func:`check_3` – własna funkcja par wejście→cel z krokiem ``stride``,
4. :func:`check_4` – ile okien da tekst o danej długości,
5. :func:`check_5` – prognoza: na ile tokenów „ porankiem” przy 600 scaleniach (po zmianie komórki),
6. :func:`check_6` – własne zdanie w komórce par wejście → cel i prognoza liczby par.

Każda funkcja zwraca :class:`~llmkurs.exercises.common.Feedback` i nigdy nie rzuca wyjątku.
"""

from __future__ import annotations

from llmkurs.data import sliding_window_pairs
from llmkurs.errors import KursError
from llmkurs.exercises.common import Feedback, feedback, not_done
from llmkurs.tokenizer import (
    BPETokenizer,
    bytes_to_piece,
    n_tokens,
    plural_pl,
    polish_tokenizer,
    readable_piece,
    tiktoken_encoding,
)

#: Token z rysunku drzewa scaleń w rozdziale: „ przykład” (ze spacją) w notacji Ġ, czyli "ĠprzykÅĤad".
PIECE_1 = bytes_to_piece(" przykład".encode("utf-8"))


def exercise_piece_1(tokenizer: BPETokenizer | None = None) -> str:
    """Token ćwiczenia 1: pierwszy token słowa „ wejścia” (ze spacją) w tokenizatorze kursu.

    Rysunek w rozdziale rozkłada ``Ġprzykład``; ćwiczenie pyta o inny token, żeby odpowiedzi
    nie dało się przepisać z wydruku.
    """
    tok = tokenizer or polish_tokenizer()
    return tok.tokens(" wejścia")[0]


# --------------------------------------------------------------------------- 1


def merge_tree(tokenizer: BPETokenizer, piece: str) -> list[tuple[str, str]]:
    """Scalenia, z których powstaje token ``piece`` (notacja ``Ġ``), od najwcześniejszego.

    Token bazowy (jeden bajt) nie potrzebuje scaleń; każdy inny powstał z pary – rozwijamy ją
    rekurencyjnie, aż zostaną same bajty.
    """
    pair_of = {a + b: (a, b) for a, b in tokenizer.merges}
    out = []

    def unfold(p: str) -> None:
        if p in pair_of:
            a, b = pair_of[p]
            unfold(a)
            unfold(b)
            out.append((a, b))

    unfold(piece)
    return sorted(out, key=lambda ab: tokenizer.vocab[ab[0] + ab[1]])


def check_1(answer, tokenizer: BPETokenizer | None = None, piece: str | None = None) -> Feedback:
    """Ile scaleń (razem z pośrednimi) potrzeba, by powstał token ``piece`` (domyślnie
    :func:`exercise_piece_1`)?"""
    if answer is None:
        return not_done("liczbę scaleń")
    if isinstance(answer, bool) or not isinstance(answer, int):
        return Feedback(False, "odpowiedzią jest liczba całkowita, np. 5.")
    tok = tokenizer or polish_tokenizer()
    piece = piece if piece is not None else exercise_piece_1(tok)
    tree = merge_tree(tok, piece)
    n_bytes = len(tok.token_bytes(tok.vocab[piece]))
    if answer == len(tree):
        shown = readable_piece(tok.token_bytes(tok.vocab[piece]))
        return Feedback(True, f"token {piece} („{shown}”) ma {n_bytes} bajtów, a każde scalenie zmniejsza liczbę "
                              f"kawałków o jeden, więc scaleń jest {n_bytes} − 1 = {len(tree)}.")
    if answer == len(tree) + 1:
        return Feedback(False, "o jedno za dużo: policz scalenia, a nie bajty (z n kawałków robi się jeden w n − 1 krokach).")
    letters = readable_piece(tok.token_bytes(tok.vocab[piece]))
    if answer in (len(letters) - 1, len(letters.strip()) - 1):
        return Feedback(False, "liczysz litery, a BPE scala bajty: „ł” w UTF-8 to dwa bajty.")
    if answer == 1 and len(tree) != 1:
        return Feedback(False, "ostatnie scalenie to tylko wierzchołek drzewa: jego części też powstały ze scaleń.")
    return Feedback(False, "rozwiń token rekurencyjnie: znajdź parę w tok.merges, potem pary jej części itd.")


# --------------------------------------------------------------------------- 2


def check_2(word, encoding=None) -> Feedback:
    """Jedno polskie słowo (same litery), które GPT-2 dzieli na więcej niż 5 tokenów."""
    if word is None:
        return not_done("słowo")
    if not isinstance(word, str):
        return Feedback(False, "odpowiedzią jest słowo w cudzysłowie, np. \"przykładowego\".")
    word = word.strip()
    if not word or not word.isalpha():
        return Feedback(False, "podaj jedno słowo złożone z samych liter (bez spacji, cyfr i interpunkcji).")
    if encoding is None:
        try:
            encoding = tiktoken_encoding("gpt2")
        except KursError as err:
            return Feedback(False, str(err))
    gpt2 = len(encoding.encode(word))
    ours = len(polish_tokenizer().encode(word))
    msg = f"GPT-2 dzieli „{word}” na {n_tokens(gpt2)}, tokenizator kursu na {n_tokens(ours)}."
    return feedback(gpt2 > 5, msg + " Polskie litery i końcówki są dla GPT-2 rzadkie.",
                    msg + " Spróbuj dłuższego słowa z ą, ę, ł, ś, ż (np. przymiotnika z końcówką).")


# --------------------------------------------------------------------------- 3


CASES_3 = [
    (list(range(10)), 4, 1),
    (list(range(10)), 4, 4),
    (list(range(10)), 3, 2),
    ([3014, 7020, 2324, 1679, 3338, 735], 2, 1),
    (list(range(100, 120)), 5, 3),
    (list(range(7)), 6, 6),
]


def check_3(func) -> Feedback:
    """Funkcja ``func(ids, max_length, stride)`` zwracająca listę par ``(wejście, cel)``."""
    if func is None:
        return not_done("funkcję")
    if not callable(func):
        return Feedback(False, "odpowiedzią jest funkcja (def pary(ids, max_length, stride): ...), a nie jej wynik.")
    for ids, max_length, stride in CASES_3:
        expected = sliding_window_pairs(ids, max_length, stride)
        call = f"pary({ids if len(ids) <= 10 else '[…]'}, max_length={max_length}, stride={stride})"
        try:
            got = func(list(ids), max_length, stride)
        except Exception as err:  # noqa: BLE001 – informacja dla studenta, nie błąd kursu
            return Feedback(False, f"{call} zgłasza {type(err).__name__}: {err}")
        try:
            got = [(list(x), list(y)) for x, y in got]
        except (TypeError, ValueError):
            return Feedback(False, f"{call} powinna zwrócić listę par (wejście, cel).")
        got = [([int(v) for v in x], [int(v) for v in y]) for x, y in got]
        if len(got) != len(expected):
            return Feedback(False, f"{call} daje {len(got)} par, a powinna dać {len(expected)}: "
                                   "okno startuje w range(0, len(ids) - max_length, stride).")
        for k, (pair, good) in enumerate(zip(got, expected)):
            if pair != good:
                return Feedback(False, f"{call}: para nr {k} to {pair}, a powinna być {good} "
                                       "(cel to wejście przesunięte o jeden token).")
    return Feedback(True, "twoja funkcja daje te same pary co GPTDataset dla wszystkich sprawdzanych ustawień.")


# --------------------------------------------------------------------------- 4

N_4, MAX_LENGTH_4, STRIDE_4 = 100, 8, 4


def check_4(answer) -> Feedback:
    """Ile okien (par) da tekst o 100 tokenach przy ``max_length=8`` i ``stride=4``?"""
    if answer is None:
        return not_done("liczbę okien")
    if isinstance(answer, bool) or not isinstance(answer, int):
        return Feedback(False, "odpowiedzią jest liczba całkowita.")
    expected = len(range(0, N_4 - MAX_LENGTH_4, STRIDE_4))
    if answer == expected:
        return Feedback(True, f"okna startują w 0, 4, …, 88 – to {plural_pl(expected, 'okno', 'okna', 'okien')}; "
                              "start 92 potrzebowałby celu aż do tokenu o indeksie 100, a takiego nie ma.")
    if answer == N_4 // STRIDE_4:
        return Feedback(False, "okno musi się zmieścić razem z celem: start ≤ len(ids) − max_length − 1.")
    if answer == len(range(0, N_4 - MAX_LENGTH_4 + 1, STRIDE_4)):
        return Feedback(False, "prawie: ostatni start nie może mieć celu poza tekstem (range(0, len(ids) - max_length, stride)).")
    return Feedback(False, "policz starty okien: range(0, len(ids) - max_length, stride).")


# --------------------------------------------------------------------------- 5

WORD_5, MERGES_5 = " porankiem", 600


def check_5(prediction, tokenizer: BPETokenizer | None = None) -> Feedback:
    """Prognoza: na ile tokenów „ porankiem” (ze spacją) dzielą pierwsze 600 scaleń?"""
    if prediction is None:
        return not_done("prognozę (liczbę tokenów)")
    if isinstance(prediction, bool) or not isinstance(prediction, int) or prediction < 1:
        return Feedback(False, "prognozą jest dodatnia liczba całkowita – liczba tokenów.")
    tok = tokenizer or polish_tokenizer()
    pieces = [readable_piece(tok.token_bytes(i)) for i in tok.encode_with_merges(WORD_5, MERGES_5)]
    actual = len(pieces)
    if prediction == actual:
        return Feedback(True, f"przy {MERGES_5} scaleniach „{WORD_5.strip()}” to {n_tokens(actual)}: "
                              f"{' | '.join(pieces)}. Słowo dzieli się na coraz mniej kawałków, w miarę jak przybywa scaleń.")
    direction = "za dużo" if prediction > actual else "za mało"
    return Feedback(False, f"prognoza to {direction} tokenów. Zmień listę liczby scaleń w komórce „rankiem… poranny” "
                           f"na [100, {MERGES_5}, 2000], uruchom ją i porównaj z wierszem dla {MERGES_5} scaleń.")


# --------------------------------------------------------------------------- 6

DEFAULT_SENTENCE = "Oto fragment przykładowego wejścia"


def check_6(sentence, prediction, tokenizer: BPETokenizer | None = None) -> Feedback:
    """Własne zdanie z komórki par wejście → cel i prognoza: ile par z niego powstanie?"""
    if sentence is None or prediction is None:
        return not_done("zdanie i prognozę liczby par")
    if not isinstance(sentence, str) or not sentence.strip():
        return Feedback(False, "zdanie ma być niepustym napisem w cudzysłowie.")
    if sentence.strip() == DEFAULT_SENTENCE:
        return Feedback(False, "wpisz własne zdanie – inne niż zdanie z notatek.")
    if isinstance(prediction, bool) or not isinstance(prediction, int):
        return Feedback(False, "prognozą jest liczba całkowita – liczba par.")
    tok = tokenizer or polish_tokenizer()
    try:
        ids = tok.encode(sentence)
    except KursError as err:
        return Feedback(False, str(err))
    expected = max(len(ids) - 1, 0)
    pairs = plural_pl(expected, "para", "pary", "par")
    if prediction == expected:
        return Feedback(True, f"zdanie ma {n_tokens(len(ids))}, więc daje {pairs}: każdy token oprócz "
                              "pierwszego jest raz celem.")
    if prediction == len(ids):
        return Feedback(False, "o jedną za dużo: pierwszy token nie ma poprzednika, więc nie jest celem żadnej pary.")
    if prediction == len(sentence.split()) - 1:
        return Feedback(False, "liczysz słowa, a pary powstają z tokenów – uruchom komórkę z twoim zdaniem i policz wiersze.")
    return Feedback(False, "pary to (początek tekstu → następny token): policz tokeny zdania (kurs.encode) i odejmij jeden.")
