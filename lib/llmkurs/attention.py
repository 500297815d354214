"""Samo-uwaga od zera: naiwna, skalowana, przyczynowa i wielogłowa (rozdziały 4–8).

Algorytm w jednym akapicie. Każdy token ma wektor ``x_i``. Uwaga liczy, jak bardzo token ``i``
„patrzy” na token ``j``: wynik (ang. *attention score*) ``ω_ij`` to iloczyn skalarny zapytania
tokenu ``i`` i klucza tokenu ``j``. Softmax zamienia wiersz wyników na wagi (ang. *attention
weights*) – liczby dodatnie, które sumują się do 1. Wektor kontekstu (ang. *context vector*)
``z_i`` to średnia ważona wartości wszystkich tokenów z tymi wagami.

- rozdział 4 – :func:`naive_attention`: zapytanie = klucz = wartość = ``x`` (bez wag do nauki),
  :func:`softmax` w stabilnej postaci i :func:`naive_softmax`, który się przepełnia,
- rozdział 5 – :class:`SelfAttentionV1`, :class:`SelfAttentionV2`: macierze ``W_query``,
  ``W_key``, ``W_value`` i skalowanie przez ``√d_k``,
- rozdział 6 – :class:`CausalAttention` (maska: token nie widzi przyszłości),
- rozdział 7 – dropout na wagach uwagi (w :class:`CausalAttention`),
- rozdział 8 – :class:`MultiHeadAttentionWrapper` i :class:`MultiHeadAttention`.

Moduły liczą softmax funkcją ``torch.softmax`` – to ten sam stabilny wzór co :func:`softmax`
(testy sprawdzają zgodność), ale szybszy, bo wykonany w jednym jądrze obliczeniowym.

Nazwy klas, argumentów i kolejność tworzenia warstw są takie jak w książce S. Raschki *Build
a Large Language Model (From Scratch)*: przy tym samym ``torch.manual_seed`` dostajemy te same
liczby co książka. Każdy moduł zapamiętuje wagi uwagi z ostatniego wywołania w ``last_weights``
(odłączone od grafu obliczeń) – do rysunków.

Przykład, który prowadzi przez rozdziały 4–7: sześć tokenów zdania :data:`EXAMPLE_SENTENCE`
z trójwymiarowymi wektorami z książki (:func:`example_inputs`). Dla zdań wpisanych przez
studenta :func:`sentence_vectors` daje losowe (nie wytrenowane!) wektory tokenów.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import torch
import torch.nn as nn

from llmkurs.errors import KursError, require, require_type

__all__ = [
    "EXAMPLE_SENTENCE",
    "EXAMPLE_TOKENS",
    "MAX_SENTENCE_TOKENS",
    "example_inputs",
    "sentence_vectors",
    "softmax",
    "naive_softmax",
    "naive_attention",
    "causal_mask",
    "SelfAttentionV1",
    "SelfAttentionV2",
    "CausalAttention",
    "MultiHeadAttentionWrapper",
    "MultiHeadAttention",
]

# ---------------------------------------------------------------------------------------------
# Przykład prowadzący (rozdziały 4–7)
# ---------------------------------------------------------------------------------------------

#: Zdanie przykładu prowadzącego: sześć słów, po jednym wektorze na słowo.
EXAMPLE_SENTENCE = "Twoja podróż zaczyna się od kroku"

#: Tokeny zdania przykładowego (tu: słowa).
EXAMPLE_TOKENS = tuple(EXAMPLE_SENTENCE.split())

_EXAMPLE_VALUES = [
    [0.43, 0.15, 0.89],  # Twoja
    [0.55, 0.87, 0.66],  # podróż  (x^(2))
    [0.57, 0.85, 0.64],  # zaczyna
    [0.22, 0.58, 0.33],  # się
    [0.77, 0.25, 0.10],  # od
    [0.05, 0.80, 0.55],  # kroku
]


def example_inputs() -> torch.Tensor:
    """Wektory (3-D) sześciu tokenów :data:`EXAMPLE_SENTENCE`, te same liczby co w książce.

    Zwraca nowy tensor ``(6, 3)`` przy każdym wywołaniu (można go bezpiecznie zmieniać).
    """
    return torch.tensor(_EXAMPLE_VALUES)


#: Najwięcej tokenów, dla których :func:`sentence_vectors` liczy wektory (dłuższe: skracamy).
MAX_SENTENCE_TOKENS = 40

#: Najdłuższy tekst (w znakach), jaki w ogóle dzielimy na tokeny.
_MAX_SENTENCE_CHARS = 2000

_WORD_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class TokenLabels(list):
    """Lista etykiet tokenów z polem ``note``: polska notka, gdy tekst skrócono (inaczej ``None``)."""

    note: str | None = None


def _course_tokenizer():
    """Tokenizer kursu, jeśli jest już dostępny (pliki słownika), inaczej ``None``."""
    try:
        from llmkurs.tokenizer import polish_tokenizer

        return polish_tokenizer()
    except Exception:  # noqa: BLE001 – brak modułu albo plików: dzielimy na słowa
        return None


def _split(text: str, tokenizer: str) -> tuple[list[str], list[str]]:
    """Podziel tekst na tokeny; zwróć (etykiety do rysunków, klucze do losowania wektorów)."""
    tok = _course_tokenizer() if tokenizer in ("auto", "kurs") else None
    require(tokenizer != "kurs" or tok is not None,
            "Tokenizer kursu nie jest jeszcze dostępny: użyj tokenizer=\"words\" albo \"auto\".")
    if tok is None:
        words = _WORD_RE.findall(text)
        return words, words
    ids = tok.encode(text)
    labels, keys = [], []
    for token_id in ids:
        piece = tok.id_to_piece(token_id)
        shown = tok.decode([token_id])
        if "\ufffd" in shown or not shown.strip():
            shown = piece  # kawałek znaku UTF-8 albo sam biały znak: notacja Ġ
        elif shown.startswith(" "):
            shown = "Ġ" + shown[1:]
        labels.append(shown)
        keys.append(piece)
    return labels, keys


def _piece_vector(key: str, dim: int, seed: int) -> torch.Tensor:
    digest = hashlib.sha256(f"{seed}\x00{key}".encode("utf-8", "surrogatepass")).digest()
    gen = torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") & ((1 << 63) - 1))
    return torch.randn(dim, generator=gen)


def sentence_vectors(text, dim: int = 3, seed: int = 123, *, tokenizer: str = "auto"):
    """Podziel zdanie na tokeny i daj każdemu losowy (nie wytrenowany) wektor długości ``dim``.

    Zwraca ``(labels, tensor)``: etykiety tokenów (lista, z polem ``labels.note``) i tensor
    ``(tokeny, dim)``. Wektor zależy tylko od tokenu i ``seed`` (skrót SHA-256 tokenu wybiera
    ziarno generatora), więc to samo słowo ma zawsze ten sam wektor – jak w tablicy osadzeń
    przed treningiem. Wartości: rozkład normalny N(0, 1), zaokrąglone do dwóch miejsc.

    ``tokenizer="auto"`` używa tokenizera kursu (:func:`llmkurs.tokenizer.polish_tokenizer`,
    etykiety w notacji ``Ġ``), jeśli jego pliki są dostępne, a inaczej dzieli tekst na słowa
    i znaki interpunkcji; ``"words"`` zawsze dzieli na słowa, ``"kurs"`` wymaga tokenizera kursu.
    Tekst dłuższy niż :data:`MAX_SENTENCE_TOKENS` tokenów skracamy (bez wyjątku) i zapisujemy
    o tym notkę w ``labels.note``.
    """
    require_type(text, str, "Zdanie musi być napisem (str), np. \"Ala ma kota\".")
    require(isinstance(dim, int) and not isinstance(dim, bool) and 1 <= dim <= 512,
            "Wymiar wektorów dim musi być liczbą całkowitą od 1 do 512.")
    require(isinstance(seed, int) and not isinstance(seed, bool), "Ziarno seed musi być liczbą całkowitą, np. 123.")
    require(tokenizer in ("auto", "words", "kurs"), "Parametr tokenizer może mieć wartość \"auto\", \"words\" albo \"kurs\".")
    text = unicodedata.normalize("NFC", text)
    note = None
    if len(text) > _MAX_SENTENCE_CHARS:
        note = f"Tekst ma {len(text)} znaków; biorę pierwsze {_MAX_SENTENCE_CHARS}."
        text = text[:_MAX_SENTENCE_CHARS]
    require(text.strip() != "", "Wpisz zdanie: pole jest puste (np. „Kot śpi na ciepłym piecu”).")
    labels, keys = _split(text, tokenizer)
    require(len(labels) > 0, "W tym tekście nie znalazłem żadnego tokenu: wpisz zwykłe zdanie.")
    if len(labels) > MAX_SENTENCE_TOKENS:
        note = (f"Zdanie ma {len(labels)} tokenów; pokazuję pierwsze {MAX_SENTENCE_TOKENS}, "
                "żeby rysunek był czytelny.")
        labels, keys = labels[:MAX_SENTENCE_TOKENS], keys[:MAX_SENTENCE_TOKENS]
    vectors = torch.stack([_piece_vector(k, dim, seed) for k in keys]).round(decimals=2) + 0.0  # + 0.0: bez „-0.00”
    out = TokenLabels(labels)
    out.note = note
    return out, vectors


# ---------------------------------------------------------------------------------------------
# Softmax i uwaga naiwna (rozdział 4)
# ---------------------------------------------------------------------------------------------


def _as_float_tensor(x, name: str = "x") -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x if x.is_floating_point() else x.float()
    try:
        t = torch.as_tensor(x)
    except Exception as err:  # noqa: BLE001
        raise KursError(f"Nie umiem zamienić {name} na tensor: podaj liczby, np. torch.tensor([1.0, 2.0]).") from err
    return t if t.is_floating_point() else t.float()


def _check_dim(x: torch.Tensor, dim: int) -> None:
    require(x.dim() >= 1, "Softmax potrzebuje co najmniej jednej liczby: podaj wektor, np. torch.tensor([1.0, 2.0]).")
    require(isinstance(dim, int) and -x.dim() <= dim < x.dim(),
            f"Wymiar dim={dim} nie istnieje w tensorze o kształcie {tuple(x.shape)}: użyj np. dim=-1.")
    require(x.shape[dim] > 0, "Softmax po pustym wymiarze nie ma sensu: podaj co najmniej jedną liczbę.")


def naive_softmax(x, dim: int = -1) -> torch.Tensor:
    """Softmax „z definicji”: ``exp(x) / sum(exp(x))``.

    Dla dużych liczb (float32: powyżej ok. 88,7) ``exp`` daje ``inf``, a ``inf / inf`` to
    ``nan`` – dlatego w praktyce używamy :func:`softmax`.
    """
    x = _as_float_tensor(x)
    _check_dim(x, dim)
    e = torch.exp(x)
    return e / e.sum(dim=dim, keepdim=True)


def softmax(x, dim: int = -1) -> torch.Tensor:
    """Stabilny numerycznie softmax: ``exp(x - max) / sum(exp(x - max))``.

    Odjęcie maksimum nie zmienia wyniku (skraca się w ułamku), a największy wykładnik to
    ``exp(0) = 1``, więc nic się nie przepełnia. Wartości ``-inf`` (maska) dają wagę 0; wiersz
    z samych ``-inf`` daje ``nan`` (tak jak ``torch.softmax``).
    """
    x = _as_float_tensor(x)
    _check_dim(x, dim)
    m = x.amax(dim=dim, keepdim=True)
    e = torch.exp(x - m)
    return e / e.sum(dim=dim, keepdim=True)


def _check_matrix(x, what: str = "x") -> torch.Tensor:
    require_type(x, torch.Tensor, f"{what} musi być tensorem torch, np. torch.tensor([[0.1, 0.2], [0.3, 0.4]]).")
    require(x.dim() == 2,
            f"Oczekuję macierzy (tokeny, wymiar), a przyszedł tensor o kształcie {tuple(x.shape)}: "
            "podaj jedno zdanie, np. x[0] dla batcha.")
    require(x.shape[0] >= 1, "Potrzebuję co najmniej jednego tokenu (wiersza macierzy).")
    return x if x.is_floating_point() else x.float()


def naive_attention(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Uwaga naiwna (bez wag do nauki) dla ``x`` o kształcie ``(tokeny, wymiar)``.

    Wyniki ``scores = x xᵀ`` (iloczyny skalarne każdej pary tokenów), wagi = softmax po
    wierszach, wektory kontekstu ``context = weights @ x``. Zwraca ``(context, weights)``.
    """
    x = _check_matrix(x)
    scores = x @ x.T
    weights = softmax(scores, dim=-1)
    return weights @ x, weights


def causal_mask(num_tokens: int) -> torch.Tensor:
    """Maska przyczynowa ``(num_tokens, num_tokens)``: ``True`` nad przekątną (przyszłe tokeny)."""
    require(isinstance(num_tokens, int) and num_tokens >= 1, "Liczba tokenów musi być dodatnią liczbą całkowitą.")
    return torch.triu(torch.ones(num_tokens, num_tokens, dtype=torch.bool), diagonal=1)


# ---------------------------------------------------------------------------------------------
# Sprawdzanie argumentów (jedno polskie zdanie na błąd)
# ---------------------------------------------------------------------------------------------


def _check_pos_int(value, name: str) -> None:
    require(isinstance(value, int) and not isinstance(value, bool) and value >= 1,
            f"{name} musi być dodatnią liczbą całkowitą, a jest {value!r}.")


def _check_dropout(p) -> None:
    require(isinstance(p, (int, float)) and not isinstance(p, bool) and 0.0 <= p < 1.0,
            f"Prawdopodobieństwo dropoutu musi być w przedziale [0, 1), np. 0.1, a jest {p!r}.")


def _check_input(x, d_in: int, *, batched: bool, context_length: int | None = None) -> torch.Tensor:
    shape = "(batch, tokeny, {})".format(d_in) if batched else "(tokeny, {})".format(d_in)
    require_type(x, torch.Tensor, f"Wejście musi być tensorem torch o kształcie {shape}.")
    got = tuple(x.shape)
    if batched:
        if x.dim() == 2 and x.shape[-1] == d_in:
            raise KursError(f"Oczekuję tensora {shape}, a przyszedł {got}: dodaj wymiar batch, np. x.unsqueeze(0).")
        require(x.dim() == 3 and x.shape[-1] == d_in,
                f"Oczekuję tensora {shape}, a przyszedł {got}: ostatni wymiar musi być równy d_in={d_in}.")
    else:
        if x.dim() == 3 and x.shape[-1] == d_in:
            raise KursError(f"Oczekuję tensora {shape}, a przyszedł {got}: ta klasa bierze jedno zdanie bez wymiaru batch, np. x[0].")
        require(x.dim() == 2 and x.shape[-1] == d_in,
                f"Oczekuję tensora {shape}, a przyszedł {got}: ostatni wymiar musi być równy d_in={d_in}.")
    num_tokens = x.shape[-2]
    require(num_tokens >= 1, f"Oczekuję co najmniej jednego tokenu, a przyszedł kształt {got}.")
    if context_length is not None:
        require(num_tokens <= context_length,
                f"Wejście ma {num_tokens} tokenów, a context_length={context_length}: skróć tekst albo utwórz moduł z większym context_length.")
    require(x.is_floating_point(), f"Wejście musi zawierać liczby zmiennoprzecinkowe, a ma typ {x.dtype}: użyj x.float().")
    return x


# ---------------------------------------------------------------------------------------------
# Uwaga z wagami do nauki (rozdział 5)
# ---------------------------------------------------------------------------------------------


class SelfAttentionV1(nn.Module):
    """Samo-uwaga z trzema macierzami ``nn.Parameter(torch.rand(d_in, d_out))``.

    Kolejność tworzenia (jak w książce): ``W_query``, ``W_key``, ``W_value``. Wejście ``x``
    ``(tokeny, d_in)``, wynik ``(tokeny, d_out)``: ``softmax(Q Kᵀ / √d_k) V``.
    """

    def __init__(self, d_in: int, d_out: int):
        super().__init__()
        _check_pos_int(d_in, "d_in")
        _check_pos_int(d_out, "d_out")
        self.d_in, self.d_out = d_in, d_out
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_input(x, self.d_in, batched=False)
        keys = x @ self.W_key          # (tokeny, d_out)
        queries = x @ self.W_query     # (tokeny, d_out)
        values = x @ self.W_value      # (tokeny, d_out)
        attn_scores = queries @ keys.T  # (tokeny, tokeny)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        self.last_weights = attn_weights.detach()
        return attn_weights @ values


class SelfAttentionV2(nn.Module):
    """Samo-uwaga z trzema warstwami ``nn.Linear(d_in, d_out, bias=qkv_bias)``.

    ``nn.Linear`` przechowuje macierz transponowaną (``weight`` ma kształt ``(d_out, d_in)``)
    i ma lepszą inicjalizację niż ``torch.rand`` (wartości wokół zera, skalowane przez
    ``1/√d_in``). Wejście ``(tokeny, d_in)``.
    """

    def __init__(self, d_in: int, d_out: int, qkv_bias: bool = False):
        super().__init__()
        _check_pos_int(d_in, "d_in")
        _check_pos_int(d_out, "d_out")
        self.d_in, self.d_out = d_in, d_out
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_input(x, self.d_in, batched=False)
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        self.last_weights = attn_weights.detach()
        return attn_weights @ values


# ---------------------------------------------------------------------------------------------
# Uwaga przyczynowa z dropoutem (rozdziały 6–7)
# ---------------------------------------------------------------------------------------------


class CausalAttention(nn.Module):
    """Uwaga przyczynowa: token widzi tylko siebie i tokeny wcześniejsze; dropout na wagach.

    Kolejność: ``W_query``, ``W_key``, ``W_value`` (``nn.Linear``), ``dropout``, bufor ``mask``
    (jedynki nad przekątną). Wejście ``(batch, tokeny, d_in)``, tokenów co najwyżej
    ``context_length``. Wyniki przyszłych tokenów zastępujemy ``-inf`` przed softmaksem.
    """

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, qkv_bias: bool = False):
        super().__init__()
        _check_pos_int(d_in, "d_in")
        _check_pos_int(d_out, "d_out")
        _check_pos_int(context_length, "context_length")
        _check_dropout(dropout)
        self.d_in, self.d_out, self.context_length = d_in, d_out, context_length
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_input(x, self.d_in, batched=True, context_length=self.context_length)
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)              # (b, tokeny, d_out)
        queries = self.W_query(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.transpose(1, 2)  # (b, tokeny, tokeny)
        attn_scores.masked_fill_(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)  # w miejscu: bez kopii
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        self.last_weights = attn_weights.detach()
        return attn_weights @ values


# ---------------------------------------------------------------------------------------------
# Wiele głów uwagi (rozdział 8)
# ---------------------------------------------------------------------------------------------


class MultiHeadAttentionWrapper(nn.Module):
    """``num_heads`` niezależnych głów :class:`CausalAttention` (każda szerokości ``d_out``).

    Wyniki głów sklejamy wzdłuż ostatniego wymiaru: wyjście ma szerokość ``d_out * num_heads``
    (jak w książce). ``last_weights``: ``(batch, głowy, tokeny, tokeny)``.
    """

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, num_heads: int, qkv_bias: bool = False):
        super().__init__()
        _check_pos_int(num_heads, "Liczba głów num_heads")
        _check_pos_int(d_in, "d_in")
        _check_pos_int(d_out, "d_out")
        _check_pos_int(context_length, "context_length")
        _check_dropout(dropout)
        self.d_in, self.d_out, self.context_length, self.num_heads = d_in, d_out, context_length, num_heads
        self.heads = nn.ModuleList(
            [CausalAttention(d_in, d_out, context_length, dropout, qkv_bias) for _ in range(num_heads)]
        )
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_input(x, self.d_in, batched=True, context_length=self.context_length)
        out = torch.cat([head(x) for head in self.heads], dim=-1)
        self.last_weights = torch.stack([head.last_weights for head in self.heads], dim=1)
        return out


class MultiHeadAttention(nn.Module):
    """Wiele głów uwagi w jednym module: jedna projekcja, podział na głowy przez ``view``.

    Kolejność (jak w książce): ``W_query``, ``W_key``, ``W_value`` (``nn.Linear(d_in, d_out)``),
    ``out_proj`` (``nn.Linear(d_out, d_out)``), ``dropout``, bufor ``mask``. Każda głowa ma
    szerokość ``head_dim = d_out // num_heads``. ``last_weights``: ``(batch, głowy, tokeny,
    tokeny)``. Gdy ``keep_weights = False``, używamy szybkiej, połączonej funkcji
    ``torch.nn.functional.scaled_dot_product_attention`` (wag nie widać: ``last_weights = None``).
    """

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, num_heads: int, qkv_bias: bool = False):
        super().__init__()
        _check_pos_int(num_heads, "Liczba głów num_heads")
        _check_pos_int(d_in, "d_in")
        _check_pos_int(d_out, "d_out")
        _check_pos_int(context_length, "context_length")
        _check_dropout(dropout)
        require(d_out % num_heads == 0,
                f"d_out={d_out} musi być podzielne przez num_heads={num_heads} (każda głowa dostaje d_out // num_heads wymiarów): zmień jedno z nich.")
        self.d_in, self.d_out, self.context_length = d_in, d_out, context_length
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))
        self.keep_weights = True
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_input(x, self.d_in, batched=True, context_length=self.context_length)
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)              # (b, tokeny, d_out)
        queries = self.W_query(x)
        values = self.W_value(x)
        # (b, tokeny, d_out) -> (b, tokeny, głowy, head_dim) -> (b, głowy, tokeny, head_dim)
        keys = keys.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        queries = queries.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        values = values.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        if self.keep_weights:
            attn_scores = queries @ keys.transpose(2, 3)  # (b, głowy, tokeny, tokeny)
            attn_scores.masked_fill_(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)  # w miejscu: bez kopii
            attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
            attn_weights = self.dropout(attn_weights)
            self.last_weights = attn_weights.detach()
            context = attn_weights @ values                # (b, głowy, tokeny, head_dim)
        else:
            context = torch.nn.functional.scaled_dot_product_attention(
                queries, keys, values, attn_mask=None, is_causal=True,
                dropout_p=self.dropout.p if self.training else 0.0,
            )
            self.last_weights = None
        context = context.transpose(1, 2).contiguous().view(b, num_tokens, self.d_out)
        return self.out_proj(context)
