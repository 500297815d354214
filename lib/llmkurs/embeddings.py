"""Osadzenia tokenów i pozycji (rozdziały 2–3 kursu).

Osadzenie (ang. *embedding*) to tabela, w której wiersz numer ``id`` jest wektorem tokenu o tym
ID. Odczyt wiersza to to samo, co pomnożenie wektora „jeden z n” (ang. *one-hot*) przez macierz
wag, tylko szybciej. Wartości tabeli są na początku losowe i zmieniają się podczas treningu.

Rozdział 2:

- :func:`train_embeddings` – trening małych osadzeń metodą skip-gram z próbkami negatywnymi
  (ang. *skip-gram with negative sampling*, word2vec): dla każdego tokenu model uczy się
  odróżniać tokeny, które naprawdę stały obok niego w korpusie, od tokenów wylosowanych;
- :func:`nearest_neighbors` (podobieństwo kosinusowe) i :func:`pca_2d` (rzut na dwa wymiary).

Rozdział 3:

- :func:`sinusoidal_positions` – kodowanie sinusoidalne z artykułu „Attention Is All You Need”:
  ``PE[p, 2i] = sin(p / 10000^(2i/dim))``, ``PE[p, 2i+1] = cos(p / 10000^(2i/dim))``;
- :class:`InputEmbedding` – warstwa wejściowa GPT: osadzenie tokenów + osadzenie pozycji
  (uczone albo sinusoidalne) + dropout (z niej korzysta model z rozdziału 9);
- :func:`recovery_rate` – doświadczenie z uwagi w notatkach: czy z sumy wektora tokenu i wektora
  pozycji da się odczytać token i pozycję;
- :func:`rope_rotate` – obrót par współrzędnych o kąt zależny od pozycji (RoPE), pokazany na
  liczbach.
"""

from __future__ import annotations

import torch
from torch import nn

from llmkurs.errors import KursTypeError, require, require_type
from llmkurs.polish import plural_pl

__all__ = [
    "sinusoidal_positions",
    "InputEmbedding",
    "token_label",
    "cosine_similarities",
    "nearest_neighbors",
    "pca_2d",
    "skipgram_pairs",
    "train_embeddings",
    "recovery_rate",
    "rope_rotate",
]

POSITIONAL_KINDS = ("learned", "sinusoidal")


def _require_positive_int(value, name: str, example: str) -> None:
    require_type(value, int, f"{name} musi być liczbą całkowitą, np. {example}.")
    require(not isinstance(value, bool), f"{name} musi być liczbą całkowitą, np. {example}.")
    require(value > 0, f"{name} musi być liczbą większą od zera (jest {value}), np. {example}.")


# --------------------------------------------------------------------------- pozycje


def sinusoidal_positions(num_positions: int, dim: int) -> torch.Tensor:
    """Macierz kodowania sinusoidalnego o kształcie ``(num_positions, dim)``.

    Dla pozycji ``p`` i pary współrzędnych ``i``::

        PE[p, 2i]   = sin(p / 10000^(2i/dim))
        PE[p, 2i+1] = cos(p / 10000^(2i/dim))

    Pierwsze pary zmieniają się szybko (krótka fala), ostatnie bardzo wolno. Liczby są
    w ``float32``; ``dim`` musi być parzyste (każdy sinus ma swój cosinus).
    """
    _require_positive_int(num_positions, "Liczba pozycji", "num_positions=64")
    _require_positive_int(dim, "Wymiar", "dim=16")
    require(dim % 2 == 0, f"Wymiar kodowania sinusoidalnego musi być parzysty (jest {dim}): każdy sinus ma parę w cosinusie, wybierz np. {dim + 1}.")
    require(num_positions * dim <= 50_000_000, "Macierz pozycji byłaby za duża (ponad 50 mln liczb): zmniejsz liczbę pozycji albo wymiar.")
    positions = torch.arange(num_positions, dtype=torch.float64)[:, None]  # (P, 1)
    exponents = torch.arange(0, dim, 2, dtype=torch.float64) / dim  # 2i/dim, (dim/2,)
    angles = positions / (10000.0**exponents)  # (P, dim/2)
    pe = torch.empty(num_positions, dim, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)
    return pe.to(torch.float32)


class InputEmbedding(nn.Module):
    """Warstwa wejściowa GPT: osadzenie tokenów + osadzenie pozycji + dropout.

    ``positional="learned"`` – pozycje to druga tabela ``nn.Embedding(context_length, dim)``
    uczona razem z modelem (tak jak w GPT-2 i w książce); ``positional="sinusoidal"`` – stała
    macierz :func:`sinusoidal_positions` zapisana jako bufor (nie jest uczona).

    Kolejność tworzenia jest ustalona: najpierw ``tok_emb``, potem ``pos_emb``, na końcu
    ``drop``. Dzięki temu po ``torch.manual_seed(s)`` tabela tokenów jest taka sama jak zwykłe
    ``nn.Embedding(vocab_size, dim)`` utworzone zaraz po tym samym ziarnie.

    ``forward(ids)`` przyjmuje ID o kształcie ``(batch, seq)`` i zwraca ``(batch, seq, dim)``.
    Pojedyncza sekwencja ``(seq,)`` też jest przyjmowana: dostaje wymiar paczki z przodu,
    więc wynik ma kształt ``(1, seq, dim)``.
    """

    def __init__(self, vocab_size: int, dim: int, context_length: int, dropout: float = 0.0,
                 positional: str = "learned"):
        super().__init__()
        _require_positive_int(vocab_size, "Rozmiar słownika (vocab_size)", "vocab_size=4096")
        _require_positive_int(dim, "Wymiar osadzeń (dim)", "dim=256")
        _require_positive_int(context_length, "Długość kontekstu (context_length)", "context_length=256")
        require_type(dropout, (int, float), "Dropout musi być liczbą z przedziału [0, 1), np. dropout=0.1.")
        require(0.0 <= float(dropout) < 1.0, f"Dropout musi być z przedziału [0, 1) (jest {dropout}), np. dropout=0.1.")
        require(positional in POSITIONAL_KINDS, f"Nieznany rodzaj pozycji {positional!r}: wybierz \"learned\" (uczone) albo \"sinusoidal\" (sinusoidalne).")
        if positional == "sinusoidal":
            require(dim % 2 == 0, f"Pozycje sinusoidalne wymagają parzystego wymiaru (jest dim={dim}): wybierz np. dim={dim + 1}.")
        self.vocab_size = vocab_size
        self.dim = dim
        self.context_length = context_length
        self.positional = positional
        self.tok_emb = nn.Embedding(vocab_size, dim)
        if positional == "learned":
            self.pos_emb = nn.Embedding(context_length, dim)
        else:
            self.register_buffer("pos_emb", sinusoidal_positions(context_length, dim), persistent=False)
        self.drop = nn.Dropout(float(dropout))

    def extra_repr(self) -> str:
        return f"positional={self.positional!r}, context_length={self.context_length}"

    def position_vectors(self, seq_len: int) -> torch.Tensor:
        """Wektory pozycji ``0 … seq_len-1`` o kształcie ``(seq_len, dim)``."""
        require(0 < seq_len <= self.context_length, f"Sekwencja ma {plural_pl(seq_len, 'token', 'tokeny', 'tokenów')}, a warstwa zna tylko {plural_pl(self.context_length, 'pozycję', 'pozycje', 'pozycji')} (context_length): skróć tekst albo zwiększ context_length.")
        if self.positional == "learned":
            return self.pos_emb(torch.arange(seq_len, device=self.pos_emb.weight.device))
        return self.pos_emb[:seq_len]

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if not isinstance(ids, torch.Tensor):
            raise KursTypeError("Podaj ID tokenów jako tensor liczb całkowitych, np. torch.tensor([[3, 7, 1]]).")
        if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
            raise KursTypeError(f"ID tokenów muszą być liczbami całkowitymi (przyszedł tensor typu {ids.dtype}): użyj .long().")
        if ids.dim() == 1:
            ids = ids.unsqueeze(0)
        require(ids.dim() == 2, f"Podaj ID o kształcie (paczka, długość) albo (długość,), a nie {tuple(ids.shape)}.")
        seq_len = ids.shape[1]
        require(seq_len > 0, "Sekwencja jest pusta: podaj co najmniej jeden token.")
        require(seq_len <= self.context_length, f"Sekwencja ma {plural_pl(seq_len, 'token', 'tokeny', 'tokenów')}, a warstwa zna tylko {plural_pl(self.context_length, 'pozycję', 'pozycje', 'pozycji')} (context_length): skróć tekst albo zwiększ context_length.")
        if ids.numel() > 0:
            lo, hi = int(ids.min()), int(ids.max())
            require(lo >= 0 and hi < self.vocab_size, f"ID tokenów muszą być z przedziału 0…{self.vocab_size - 1} (vocab_size={self.vocab_size}), a wśród nich jest {lo if lo < 0 else hi}.")
        tok = self.tok_emb(ids.long())  # (B, T, dim)
        pos = self.position_vectors(seq_len)  # (T, dim), nadawane na paczkę
        return self.drop(tok + pos)


# --------------------------------------------------------------------------- podobieństwo


def token_label(tokenizer, token_id: int) -> str:
    """Czytelna etykieta tokenu: tekst tokenu ze spacją na początku zapisaną jako ``Ġ``.

    ``" kot" → "Ġkot"``; kawałek litery (niepełny UTF-8) jest pokazany szesnastkowo, np. ``⟨C5⟩``.
    """
    from llmkurs.tokenizer import readable_piece

    text = readable_piece(tokenizer.token_bytes(int(token_id)))
    if text.startswith(" "):
        text = "Ġ" + text[1:]
    return text.replace("\n", "↵")


def _as_matrix(weights) -> torch.Tensor:
    if isinstance(weights, nn.Embedding):
        weights = weights.weight
    require_type(weights, torch.Tensor, "Podaj macierz osadzeń jako tensor (słownik × wymiar) albo nn.Embedding.")
    require(weights.dim() == 2 and weights.shape[0] > 0 and weights.shape[1] > 0, f"Macierz osadzeń musi mieć kształt (słownik, wymiar), a ma {tuple(weights.shape)}.")
    return weights.detach().float()


def cosine_similarities(weights, query) -> torch.Tensor:
    """Podobieństwa kosinusowe wektora ``query`` (albo wiersza o tym ID) do wszystkich wierszy.

    ``cos(a, b) = a·b / (|a| |b|)``: 1 – ten sam kierunek, 0 – prostopadłe, −1 – przeciwne.
    """
    w = _as_matrix(weights)
    if isinstance(query, int) and not isinstance(query, bool):
        require(0 <= query < w.shape[0], f"ID {query} jest spoza słownika (0…{w.shape[0] - 1}).")
        q = w[query]
    else:
        require_type(query, torch.Tensor, "Zapytanie to ID tokenu (int) albo wektor (tensor).")
        q = query.detach().float().reshape(-1)
        require(q.shape[0] == w.shape[1], f"Wektor zapytania ma {q.shape[0]} liczb, a osadzenia mają wymiar {w.shape[1]}.")
    norms = w.norm(dim=1) * q.norm()
    return (w @ q) / norms.clamp_min(1e-12)


def nearest_neighbors(weights, query_id: int, k: int = 5, candidates=None, exclude=()) -> tuple[list[int], list[float]]:
    """``k`` ID najbliższych (kosinusowo) wierszy do wiersza ``query_id`` – bez niego samego.

    ``candidates`` – opcjonalna lista ID, spośród których wybieramy sąsiadów (np. tylko tokeny,
    które w korpusie wystąpiły co najmniej 5 razy); ``exclude`` – ID do pominięcia. Remisy
    rozstrzyga mniejsze ID. Zwraca dwie listy: ID i podobieństwa (od największego).
    """
    w = _as_matrix(weights)
    require_type(query_id, int, "ID tokenu musi być liczbą całkowitą.")
    _require_positive_int(k, "Liczba sąsiadów k", "k=5")
    sims = cosine_similarities(w, query_id).double()
    pool = range(w.shape[0]) if candidates is None else sorted({int(c) for c in candidates})
    skip = {query_id, *[int(e) for e in exclude]}
    order = sorted((i for i in pool if i not in skip and 0 <= i < w.shape[0]), key=lambda i: (-float(sims[i]), i))
    top = order[:k]
    return top, [float(sims[i]) for i in top]


def pca_2d(weights, rows=None) -> torch.Tensor:
    """Rzut wierszy na dwa główne kierunki (PCA przez SVD), kształt ``(n, 2)``.

    ``rows`` – opcjonalna lista ID: kierunki liczymy tylko z tych wierszy. SVD jest
    deterministyczne; znak każdej osi ustalamy tak, by największa co do modułu współrzędna
    rzutu była dodatnia (inaczej rysunek mógłby się losowo odbijać).
    """
    w = _as_matrix(weights)
    if rows is not None:
        rows = [int(r) for r in rows]
        require(len(rows) >= 2, "Do rzutu PCA potrzeba co najmniej dwóch wierszy.")
        w = w[rows]
    require(w.shape[1] >= 2, "Do rzutu na dwa wymiary wektory muszą mieć co najmniej dwie współrzędne.")
    x = w.double() - w.double().mean(dim=0, keepdim=True)
    _, _, vh = torch.linalg.svd(x, full_matrices=False)
    proj = x @ vh[:2].T  # (n, 2)
    for j in range(2):
        col = proj[:, j]
        if col[col.abs().argmax()] < 0:
            proj[:, j] = -col
    return proj.float()


# --------------------------------------------------------------------------- trening (rozdział 2)


def skipgram_pairs(ids, window: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Pary (token środkowy, token z okna) z ciągu ID: każdy sąsiad w odległości ≤ ``window``.

    Dla ``[a, b, c]`` i ``window=1``: ``(a, b), (b, a), (b, c), (c, b)`` (kolejność: najpierw
    przesunięcie −window…+window, potem pozycja).
    """
    ids = torch.as_tensor(ids, dtype=torch.long).reshape(-1)
    _require_positive_int(window, "Okno (window)", "window=2")
    require(ids.numel() > window, f"Tekst ma za mało tokenów ({ids.numel()}) na okno {window}: podaj dłuższy tekst.")
    centers, contexts = [], []
    for offset in range(-window, window + 1):
        if offset == 0:
            continue
        if offset > 0:
            centers.append(ids[:-offset])
            contexts.append(ids[offset:])
        else:
            centers.append(ids[-offset:])
            contexts.append(ids[:offset])
    return torch.cat(centers), torch.cat(contexts)


def train_embeddings(ids, vocab_size: int, dim: int = 32, *, window: int = 2, negatives: int = 5,
                     epochs: int = 10, batch_size: int = 2048, lr: float = 0.01, seed: int = 123,
                     subsample: float = 1e-3):
    """Wytrenuj małe osadzenia metodą skip-gram z próbkami negatywnymi (word2vec).

    Dla każdej pary (token, sąsiad z okna ``window``) model zwiększa iloczyn skalarny
    ``E[token]·C[sąsiad]`` i zmniejsza go dla ``negatives`` tokenów wylosowanych ze słownika
    (z prawdopodobieństwem ∝ częstość^0,75). ``E`` to osadzenia, które oglądamy; ``C`` to druga
    tabela („kontekstowa”), potrzebna tylko w treningu. Tokeny, które stoją w podobnych
    sąsiedztwach, dostają podobne wektory ``E``.

    ``subsample`` – częste tokeny (np. „Ġi”, „Ġw”) są częściowo pomijane jako środki par
    (jak w word2vec), żeby nie zagłuszały reszty.

    Start: ``nn.Embedding(vocab_size, dim)`` po ``torch.manual_seed(seed)``, pomnożone przez
    ``0.5/dim`` (małe liczby, jak w word2vec; kierunki – a więc i podobieństwa kosinusowe – są
    losowe). Zwraca słownik: ``initial`` (ta losowa tabela, ``(vocab_size, dim)``),
    ``trained`` (po treningu), ``losses`` (średnia strata w każdej epoce), ``num_pairs``.
    Wszystko jest deterministyczne dla danego ``seed``.
    """
    ids = torch.as_tensor(ids, dtype=torch.long).reshape(-1)
    _require_positive_int(vocab_size, "Rozmiar słownika", "vocab_size=4096")
    _require_positive_int(dim, "Wymiar", "dim=32")
    _require_positive_int(epochs, "Liczba epok", "epochs=5")
    _require_positive_int(batch_size, "Rozmiar paczki", "batch_size=1024")
    require(negatives >= 1, "Liczba próbek negatywnych musi być co najmniej 1, np. negatives=5.")
    require(ids.numel() > 2 * window, "Za mało tokenów do treningu: podaj dłuższy tekst.")
    require(int(ids.min()) >= 0 and int(ids.max()) < vocab_size, f"ID tokenów muszą być z przedziału 0…{vocab_size - 1}.")

    threads = torch.get_num_threads()
    # Jeden wątek: przy tak małych macierzach wątki tylko na siebie czekają (a wynik jest
    # powtarzalny niezależnie od liczby rdzeni).
    torch.set_num_threads(1)
    try:
        return _train_sgns(ids, vocab_size, dim, window, negatives, epochs, batch_size, lr, seed, subsample)
    finally:
        torch.set_num_threads(threads)


def _train_sgns(ids, vocab_size, dim, window, negatives, epochs, batch_size, lr, seed, subsample):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    emb = nn.Embedding(vocab_size, dim)  # tabela, którą oglądamy (losowa: N(0, 1))
    ctx = nn.Embedding(vocab_size, dim)  # tabela kontekstowa
    with torch.no_grad():
        # Jak w word2vec: małe wartości na start (kierunki zostają losowe), kontekst od zera.
        emb.weight.mul_(0.5 / dim)
        ctx.weight.zero_()
    initial = emb.weight.detach().clone()

    counts = torch.bincount(ids, minlength=vocab_size).double()
    freq = counts / counts.sum()
    noise = counts.pow(0.75)
    noise = noise / noise.sum()

    centers_all, contexts_all = skipgram_pairs(ids, window)
    opt = torch.optim.Adam([emb.weight, ctx.weight], lr=lr)
    losses = []
    for _ in range(epochs):
        if subsample:
            f = freq[centers_all]
            keep_prob = ((subsample / f).sqrt() + subsample / f).clamp(max=1.0)
            keep = torch.rand(centers_all.shape[0], generator=gen, dtype=torch.float64) < keep_prob
            centers, contexts = centers_all[keep], contexts_all[keep]
        else:
            centers, contexts = centers_all, contexts_all
        perm = torch.randperm(centers.shape[0], generator=gen)
        centers, contexts = centers[perm], contexts[perm]
        total, n = 0.0, 0
        for start in range(0, centers.shape[0], batch_size):
            c = centers[start:start + batch_size]
            o = contexts[start:start + batch_size]
            neg = torch.multinomial(noise, c.shape[0] * negatives, replacement=True, generator=gen).view(-1, negatives)
            e = emb(c)  # (B, dim)
            pos_score = (e * ctx(o)).sum(-1)  # (B,)
            neg_score = torch.einsum("bd,bkd->bk", e, ctx(neg))  # (B, K)
            loss = -(nn.functional.logsigmoid(pos_score).mean() + nn.functional.logsigmoid(-neg_score).sum(-1).mean())
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * c.shape[0]
            n += c.shape[0]
        losses.append(total / max(n, 1))
    return {
        "initial": initial,
        "trained": emb.weight.detach().clone(),
        "losses": losses,
        "num_pairs": int(centers_all.shape[0]),
    }


# --------------------------------------------------------------------------- doświadczenie z sumą (rozdział 3)


def recovery_rate(dim: int, vocab_size: int = 1000, context_length: int = 64, num_samples: int = 500,
                  seed: int = 0, method: str = "separate", noise: float = 0.0) -> dict:
    """Jak często z sumy ``tok[t] + pos[p]`` losowych wektorów da się odczytać ``t`` i ``p``?

    Wektory tokenów (``vocab_size`` sztuk) i pozycji (``context_length`` sztuk) są losowe,
    N(0, 1) w ``dim`` wymiarach, ``float32``. Losujemy ``num_samples`` par ``(t, p)``, dodajemy
    wektory i próbujemy je odczytać:

    - ``method="separate"`` – osobno: token to najbliższy (euklidesowo) wektor tokenu do sumy,
      pozycja to najbliższy wektor pozycji (druga część sumy jest dla odczytu „szumem”);
    - ``method="joint"`` – razem: para ``(t', p')``, której suma jest najbliższa naszej sumie
      (przeszukujemy wszystkie ``vocab_size × context_length`` par).

    ``noise`` – odchylenie standardowe szumu N(0, noise²) dodawanego do każdej współrzędnej sumy
    (model nigdy nie liczy idealnie); ``0`` to czysta suma.

    Zwraca słownik z ułamkami poprawnych odczytów: ``token``, ``position`` i ``both`` (oba naraz).
    """
    _require_positive_int(dim, "Wymiar", "dim=64")
    _require_positive_int(vocab_size, "Rozmiar słownika", "vocab_size=1000")
    _require_positive_int(context_length, "Długość kontekstu", "context_length=64")
    _require_positive_int(num_samples, "Liczba prób", "num_samples=500")
    require(method in ("separate", "joint"), f"Nieznana metoda {method!r}: wybierz \"separate\" albo \"joint\".")
    require_type(noise, (int, float), "Szum (noise) musi być liczbą nieujemną, np. noise=0.5.")
    require(noise >= 0, f"Szum (noise) musi być nieujemny (jest {noise}), np. noise=0.5.")
    require(dim * (vocab_size + context_length) <= 60_000_000, "Za dużo liczb do wylosowania (wymiar × (słownik + kontekst) > 60 mln): zmniejsz wymiar albo słownik.")
    if method == "joint":
        require(num_samples * vocab_size * context_length <= 40_000_000, "Odczyt „joint” przeszukuje słownik × kontekst par dla każdej próby: zmniejsz num_samples, słownik albo kontekst.")
    gen = torch.Generator().manual_seed(seed)
    tok = torch.randn(vocab_size, dim, generator=gen)
    pos = torch.randn(context_length, dim, generator=gen)
    t = torch.randint(vocab_size, (num_samples,), generator=gen)
    p = torch.randint(context_length, (num_samples,), generator=gen)
    s = tok[t] + pos[p]  # (S, dim)
    if noise:
        s = s + noise * torch.randn(num_samples, dim, generator=gen)
    tok_sq = (tok * tok).sum(1)  # |tok|², (V,)
    pos_sq = (pos * pos).sum(1)  # |pos|², (P,)
    # |s − x|² = |s|² − 2 s·x + |x|²; |s|² jest wspólne, więc pomijamy je przy szukaniu minimum.
    st = s @ tok.T  # (S, V)
    sp = s @ pos.T  # (S, P)
    if method == "separate":
        t_hat = (tok_sq[None, :] - 2 * st).argmin(1)
        p_hat = (pos_sq[None, :] - 2 * sp).argmin(1)
    else:
        # |s − tok_t − pos_p|² bez |s|²: |tok_t|² + |pos_p|² + 2 tok_t·pos_p − 2 s·tok_t − 2 s·pos_p
        tp = tok @ pos.T  # (V, P)
        base = tok_sq[:, None] + pos_sq[None, :] + 2 * tp  # (V, P)
        d = base[None] - 2 * st[:, :, None] - 2 * sp[:, None, :]  # (S, V, P)
        flat = d.reshape(num_samples, -1).argmin(1)
        t_hat, p_hat = flat // context_length, flat % context_length
    ok_t = t_hat == t
    ok_p = p_hat == p
    return {
        "token": float(ok_t.float().mean()),
        "position": float(ok_p.float().mean()),
        "both": float((ok_t & ok_p).float().mean()),
    }


# --------------------------------------------------------------------------- RoPE (rozdział 3)


def rope_rotate(x: torch.Tensor, position, base: float = 10000.0) -> torch.Tensor:
    """Obróć kolejne pary współrzędnych wektora ``x`` o kąty ``position · θ_i`` (RoPE).

    ``θ_i = base^(−2i/dim)`` – te same częstotliwości co w kodowaniu sinusoidalnym. Para
    ``(x[2i], x[2i+1])`` jest obracana jak punkt na płaszczyźnie. ``x`` ma kształt ``(..., dim)``
    z parzystym ``dim``; ``position`` to liczba albo tensor nadający się do ``x[..., 0]``.
    Iloczyn skalarny obróconych wektorów zależy tylko od różnicy ich pozycji.
    """
    require_type(x, torch.Tensor, "Podaj wektor jako tensor.")
    dim = x.shape[-1]
    require(dim % 2 == 0, f"RoPE obraca pary współrzędnych, więc wymiar musi być parzysty (jest {dim}).")
    theta = base ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)  # (dim/2,)
    pos = torch.as_tensor(position, dtype=torch.float64)
    angles = pos[..., None] * theta  # (..., dim/2)
    cos, sin = torch.cos(angles), torch.sin(angles)
    xd = x.double()
    even, odd = xd[..., 0::2], xd[..., 1::2]
    out = torch.empty(torch.broadcast_shapes(xd.shape, angles.shape[:-1] + (dim,)), dtype=torch.float64)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out.to(x.dtype if x.is_floating_point() else torch.float32)

