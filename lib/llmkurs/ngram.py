"""Uczciwe punkty odniesienia dla modelu językowego: rozkład jednostajny, unigram i n-gramy
z wygładzaniem Knesera–Neya (rozdział 9, „Czy model nauczył się czegoś więcej niż częstości?”).

Model n-gramowy rzędu ``n`` przewiduje kolejny symbol (token albo znak) z ``n − 1`` poprzednich,
licząc, jak często dana kontynuacja wystąpiła po tym samym kontekście w tekście treningowym.
Surowe częstości dają zero dla każdej pary, której w treningu nie było; wygładzanie
Knesera–Neya w wersji zmodyfikowanej i interpolowanej (Chen i Goodman, 1998) odejmuje od każdej
niezerowej liczby zniżkę ``D1``, ``D2`` albo ``D3+`` (dla liczb 1, 2 i ≥ 3) i oddaje tę masę
modelowi niższego rzędu::

    P(w | h) = max(c(h w) − D(c(h w)), 0) / c(h)  +  γ(h) · P_niższy(w | h')
    γ(h)     = (D1·N1(h •) + D2·N2(h •) + D3+·N3+(h •)) / c(h)

gdzie ``h'`` to kontekst bez najstarszego symbolu, a ``N1(h •)`` – liczba różnych symboli, które
po ``h`` wystąpiły dokładnie raz. Modele niższych rzędów liczą nie wystąpienia, lecz liczbę
różnych lewych sąsiadów (*liczby kontynuacji*): „Francisco” jest częste, ale prawie tylko po
„San”, więc jako nowa kontynuacja jest mało prawdopodobne. Najniższy poziom interpoluje
z rozkładem jednostajnym na całym słowniku, więc każdy symbol ma prawdopodobieństwo > 0,
a rozkład dla każdego kontekstu sumuje się do 1 (testy to sprawdzają).

Zniżki są liczone ze statystyk liczb (``n_k`` – ile n-gramów wystąpiło ``k`` razy)::

    Y = n1 / (n1 + 2·n2),  D1 = 1 − 2Y·n2/n1,  D2 = 2 − 3Y·n3/n2,  D3+ = 3 − 4Y·n4/n3

Każdy dokument zaczyna się symbolem początku (``bos``), który jest tylko kontekstem: nie
przewidujemy go. Wynik podajemy w natach na symbol i – żeby porównać modele z różnymi
tokenizatorami – w natach na znak: suma strat całego tekstu podzielona przez liczbę jego znaków.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

from llmkurs.errors import require


def _discounts(counts: Counter) -> tuple[float, float, float]:
    """Zniżki D1, D2, D3+ ze statystyk liczb (wzór Chena i Goodmana)."""
    n = Counter(c for c in counts.values() if c <= 4)
    n1, n2, n3, n4 = (n.get(k, 0) for k in (1, 2, 3, 4))
    if n1 == 0 or n2 == 0 or n3 == 0 or n4 == 0:
        return 0.5, 0.75, 0.9  # za mało danych na wzór: bezpieczne wartości z przedziału (0, k)
    y = n1 / (n1 + 2 * n2)
    d1 = 1 - 2 * y * n2 / n1
    d2 = 2 - 3 * y * n3 / n2
    d3 = 3 - 4 * y * n4 / n3
    return max(d1, 1e-3), max(d2, 1e-3), max(d3, 1e-3)


class KneserNey:
    """Interpolowany, zmodyfikowany model Knesera–Neya rzędu ``order`` na sekwencjach symboli.

    ``KneserNey(order, vocab_size).fit(dokumenty)``, gdzie dokument to lista symboli (dowolnych
    haszowalnych: identyfikatory tokenów, znaki). ``vocab_size`` to liczba wszystkich symboli,
    które model może przewidzieć (słownik tokenizatora; dla znaków – znaki treningu plus jeden
    na znaki nieznane). ``logprob(kontekst, symbol)`` daje log-prawdopodobieństwo (naturalne).
    """

    def __init__(self, order: int, vocab_size: int, bos: Hashable = "<s>"):
        require(isinstance(order, int) and order >= 1, "Rząd modelu n-gramowego musi być liczbą całkowitą ≥ 1.")
        require(isinstance(vocab_size, int) and vocab_size >= 1, "Rozmiar słownika musi być liczbą całkowitą ≥ 1.")
        self.order = order
        self.vocab_size = vocab_size
        self.bos = bos

    # ------------------------------------------------------------------ trening
    def fit(self, documents: Sequence[Sequence[Hashable]]) -> KneserNey:
        n = self.order
        require(len(documents) > 0, "Model n-gramowy potrzebuje co najmniej jednego dokumentu do treningu.")
        top: Counter = Counter()
        for doc in documents:
            seq = [self.bos] * (n - 1) + list(doc)
            for i in range(n - 1, len(seq)):
                top[tuple(seq[i - n + 1:i + 1])] += 1
        require(sum(top.values()) > 0, "Dokumenty treningowe są puste: model n-gramowy nie ma czego liczyć.")
        # counts[k]: liczby n-gramów długości k+1 (najwyższy rząd – wystąpienia, niższe – kontynuacje)
        counts: list[Counter] = [Counter() for _ in range(n)]
        counts[n - 1] = top
        for k in range(n - 1, 0, -1):
            lower = counts[k - 1]
            for gram in counts[k]:
                lower[gram[1:]] += 1
        self._counts = counts
        self._disc = [_discounts(c) for c in counts]
        # dla każdego kontekstu: suma liczb i liczby kontynuacji z liczbą 1, 2, ≥3
        self._ctx = []
        for k in range(n):
            stats: dict = defaultdict(lambda: [0, 0, 0, 0])
            for gram, c in counts[k].items():
                s = stats[gram[:-1]]
                s[0] += c
                s[min(c, 3)] += 1
            self._ctx.append(dict(stats))
        return self

    # ------------------------------------------------------------------ prawdopodobieństwo
    def _prob(self, k: int, context: tuple, symbol) -> float:
        """P(symbol | ostatnie k symboli kontekstu) na poziomie długości k+1."""
        if k < 0:
            return 1.0 / self.vocab_size
        ctx = context[len(context) - k:] if k else ()
        lower = self._prob(k - 1, context, symbol)
        stats = self._ctx[k].get(ctx)
        if stats is None:
            return lower
        total, c1, c2, c3 = stats
        d1, d2, d3 = self._disc[k]
        c = self._counts[k].get(ctx + (symbol,), 0)
        d = 0.0 if c == 0 else (d1 if c == 1 else d2 if c == 2 else d3)
        gamma = (d1 * c1 + d2 * c2 + d3 * c3) / total
        return max(c - d, 0.0) / total + gamma * lower

    def prob(self, context: Sequence[Hashable], symbol: Hashable) -> float:
        """P(symbol | kontekst); kontekst krótszy niż ``order − 1`` jest uzupełniany symbolem ``bos``."""
        ctx = tuple([self.bos] * (self.order - 1) + list(context))[-(self.order - 1):] if self.order > 1 else ()
        return self._prob(self.order - 1, ctx, symbol)

    def logprob(self, context: Sequence[Hashable], symbol: Hashable) -> float:
        return math.log(self.prob(context, symbol))

    def sequence_nll(self, doc: Sequence[Hashable], context: Sequence[Hashable] = ()) -> float:
        """Suma −log P każdego symbolu ``doc`` (w natach), po ``context`` (domyślnie: początek dokumentu)."""
        seq = list(context) + list(doc)
        start = len(context)
        return -sum(self.logprob(seq[:i], seq[i]) for i in range(start, len(seq)))


class Unigram:
    """Model bez kontekstu: P(w) = (c(w) + 1) / (N + V) (wygładzanie Laplace'a)."""

    def __init__(self, vocab_size: int):
        require(isinstance(vocab_size, int) and vocab_size >= 1, "Rozmiar słownika musi być liczbą całkowitą ≥ 1.")
        self.vocab_size = vocab_size

    def fit(self, documents: Sequence[Sequence[Hashable]]) -> Unigram:
        self._counts = Counter(s for doc in documents for s in doc)
        self._total = sum(self._counts.values())
        return self

    def prob(self, context, symbol) -> float:  # noqa: ARG002 – kontekst nie ma znaczenia
        return (self._counts.get(symbol, 0) + 1) / (self._total + self.vocab_size)

    def logprob(self, context, symbol) -> float:
        return math.log(self.prob(context, symbol))

    def sequence_nll(self, doc, context=()) -> float:  # noqa: ARG002
        return -sum(self.logprob((), s) for s in doc)


UNKNOWN_CHAR = "\ufffd"


def char_documents(texts: Sequence[str], alphabet: set[str] | None = None) -> list[list[str]]:
    """Teksty jako listy znaków; znaki spoza ``alphabet`` (jeśli podany) zamienione na ``UNKNOWN_CHAR``."""
    if alphabet is None:
        return [list(t) for t in texts]
    return [[c if c in alphabet else UNKNOWN_CHAR for c in t] for t in texts]


def char_model(train_texts: Sequence[str], order: int = 5) -> tuple[KneserNey, set[str]]:
    """Model Knesera–Neya na znakach rzędu ``order`` i jego alfabet (znaki treningu)."""
    alphabet = set("".join(train_texts))
    model = KneserNey(order, len(alphabet) + 1, bos="\x02").fit(char_documents(train_texts))
    return model, alphabet


def nats_per_char(model, docs: Sequence[Sequence[Hashable]], n_chars: int) -> float:
    """Suma strat modelu na dokumentach ``docs`` podzielona przez liczbę znaków tekstu."""
    require(n_chars > 0, "Tekst do oceny jest pusty.")
    return sum(model.sequence_nll(d) for d in docs) / n_chars


def baselines(tokenizer, train_texts: Sequence[str], heldout_texts: Sequence[str],
              extra: bool = False) -> dict[str, dict[str, float]]:
    """Punkty odniesienia na części odłożonej: ``{nazwa: {"nat_na_token": …, "nat_na_znak": …}}``.

    Wszystkie modele uczą się tylko z ``train_texts``. Tokeny: tokenizator kursu (dokument
    poprzedzony ``<|endoftext|>`` jako kontekstem). Znaki: model znakowy niezależny od tokenizatora,
    więc wybór słownika nie osłabia tego punktu odniesienia. ``nat_na_token`` modelu znakowego to
    ta sama suma strat podzielona przez liczbę tokenów kursu (żeby kolumny dało się porównać).
    ``extra=True`` dodaje mocniejsze warianty (trigram tokenów, 7-gram znaków).
    """
    require(len(train_texts) > 0 and len(heldout_texts) > 0, "Potrzebne są teksty treningowe i odłożone.")
    bos = tokenizer.special_tokens["<|endoftext|>"]
    vocab = tokenizer.n_vocab
    train_tok = [tokenizer.encode(t) for t in train_texts]
    held_tok = [tokenizer.encode(t) for t in heldout_texts]
    n_tok = sum(len(d) for d in held_tok)
    n_chars = sum(len(t) for t in heldout_texts)
    out: dict[str, dict[str, float]] = {}

    def put(name: str, total: float) -> None:
        out[name] = {"nat_na_token": total / n_tok, "nat_na_znak": total / n_chars}

    put("jednostajny", n_tok * math.log(vocab))
    put("unigram tokenów", sum(Unigram(vocab).fit(train_tok).sequence_nll(d) for d in held_tok))
    orders = [2, 3] if extra else [2]
    for order in orders:
        kn = KneserNey(order, vocab, bos=bos).fit(train_tok)
        put(f"Kneser–Ney, {order}-gram tokenów", sum(kn.sequence_nll(d) for d in held_tok))
    for order in ([5, 7] if extra else [5]):
        cm, alphabet = char_model(train_texts, order)
        put(f"Kneser–Ney, {order}-gram znaków", sum(cm.sequence_nll(d) for d in char_documents(heldout_texts, alphabet)))
    return out
