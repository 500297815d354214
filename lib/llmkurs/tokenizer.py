"""Bajtowy BPE od zera (rozdział 1: Tokenizacja).

Tokenizator zamienia tekst na listę liczb całkowitych (identyfikatorów tokenów, ang. *token IDs*)
i z powrotem. Ten moduł implementuje bajtowy BPE (ang. *byte-level byte pair encoding*) tak jak
GPT-2 i ``karpathy/minbpe``:

1. **Pre-tokenizacja** (ang. *pre-tokenization*). Wyrażenie regularne GPT-2
   (:data:`GPT2_PATTERN`) tnie tekst na kawałki: słowa razem ze spacją przed nimi (``" kota"``),
   liczby, ciągi interpunkcji, białe znaki. Scalenia nigdy nie przekraczają granic kawałków.
2. **Bajty.** Każdy kawałek zapisujemy w UTF-8. Słownik startuje z 256 tokenów bazowych – po
   jednym na każdą możliwą wartość bajtu – więc *każdy* tekst (emoji, chiński, znaki sterujące)
   da się zakodować i nie ma tokenu „nieznane słowo”. W tokenizatorze kursu ID tokenu bazowego to
   wartość bajtu (spacja = 32).
3. **Trening** (:meth:`BPETokenizer.train`). Liczymy wszystkie pary sąsiednich tokenów (wewnątrz
   kawałków, z wagą = liczbą wystąpień kawałka w tekście), bierzemy najczęstszą parę, nadajemy
   jej nowy ID (256, 257, …) i zastępujemy nią każde wystąpienie pary. Powtarzamy, aż słownik
   osiągnie żądany rozmiar. Lista scaleń (ang. *merges*) w kolejności powstania to cały wynik
   treningu. Remis (kilka par równie częstych) rozstrzygamy deterministycznie: wygrywa para,
   której bajty (najpierw lewego, potem prawego tokenu) są wcześniejsze w porządku
   leksykograficznym. Liczniki par nie są liczone od nowa po każdym scaleniu: trzymamy licznik
   każdej pary i indeks „para → kawałki, w których występuje”, a po scaleniu poprawiamy tylko
   kawałki, które zawierały scaloną parę (kopiec z leniwym usuwaniem wybiera najczęstszą parę).
4. **Kodowanie** (:meth:`BPETokenizer.encode`). Każdy kawałek rozbijamy na bajty i powtarzamy:
   spośród sąsiednich par, których sklejone bajty są w słowniku, scalamy tę o najniższej randze
   (= najwcześniej nauczoną; przy remisie – pierwszą od lewej). Tak samo robi ``tiktoken``, więc
   :meth:`BPETokenizer.from_tiktoken` daje dokładnie jego identyfikatory. Wynik dla kawałka
   trafia do pamięci podręcznej (słowa się powtarzają).
5. **Dekodowanie** (:meth:`BPETokenizer.decode`). Sklejamy bajty tokenów i dekodujemy UTF-8.

**Znak ``Ġ``.** Pliki GPT-2 (``vocab.json``, ``merges.txt``) zapisują tokeny jako tekst, a nie
każdy bajt jest drukowalnym znakiem. :func:`bytes_to_unicode` przypisuje każdemu z 256 bajtów
drukowalny znak: bajty widoczne (``!``…``~``, ``¡``…``ÿ`` bez miękkiego myślnika) zostają sobą,
a pozostałe (spacja, nowa linia, bajty sterujące, ``0x80``–``0xA0``…) dostają kolejne znaki od
U+0100. Spacja (bajt 32) wypada na ``Ġ`` (U+0120), nowa linia na ``Ċ``. Dlatego ``"Ġkota"`` to
token „spacja + kota”, czyli słowo na początku (po spacji). Polskie litery zajmują w UTF-8 dwa
bajty, więc np. ``ł`` (``C5 82``) wygląda w tej notacji jak ``ÅĤ``.

**Surogaty.** Napis Pythona może zawierać surogaty (U+D800–U+DFFF), czyli połówki par UTF-16,
np. gdy przyszedł z JavaScriptu albo z pliku zdekodowanego z ``surrogatepass``. Poprawną parę
(połówka wysoka U+D800–U+DBFF, zaraz za nią niska U+DC00–U+DFFF) łączymy w jeden znak, tak jak
``tiktoken``: ``"\\ud83d\\udc4d"`` koduje się jak ``"👍"``. Pojedynczego surogatu (ang. *lone
surrogate*: połówki bez drugiej połowy) nie da się zapisać w UTF-8: :meth:`encode` zgłasza wtedy
:class:`~llmkurs.errors.KursError` z polskim komunikatem (``tiktoken`` po cichu zamienia go na
U+FFFD, przez co dekodowanie nie oddaje tekstu). Dla każdego napisu bez surogatów
``decode(encode(s)) == s``; z parami surogatów ``decode`` oddaje napis z połączonymi znakami.
"""

from __future__ import annotations

import heapq
import json
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex

from llmkurs.errors import KursError, KursTypeError, require, require_type
from llmkurs.polish import plural_pl  # noqa: F401 – publiczna nazwa także stąd (rozdział 1)

#: Wzorzec pre-tokenizacji GPT-2 (z ``openai/gpt-2``, ``encoder.py``).
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

#: Token specjalny oddzielający dokumenty (jak w GPT-2).
ENDOFTEXT = "<|endoftext|>"

#: Powyżej tej długości kawałka (w bajtach) kodujemy kopcem w czasie O(n log n).
_LONG_CHUNK = 48

#: Maksymalna liczba kawałków w pamięci podręcznej kodowania.
_CACHE_LIMIT = 200_000


# --------------------------------------------------------------------------- znak Ġ


@lru_cache(maxsize=1)
def _byte_table() -> tuple[dict[int, str], dict[str, int]]:
    bs = list(range(ord("!"), ord("~") + 1))
    bs += list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    forward = {b: chr(c) for b, c in zip(bs, cs)}
    return forward, {c: b for b, c in forward.items()}


def bytes_to_unicode() -> dict[int, str]:
    """Tabela GPT-2: bajt (0–255) → drukowalny znak, np. ``32 → "Ġ"``, ``10 → "Ċ"``.

    Bajty, które same są widocznymi znakami Latin-1, zostają sobą; pozostałe 68 bajtów dostaje
    kolejne znaki od U+0100 (``Ā``, ``ā``, …). Kolejność kluczy to kolejność GPT-2: najpierw
    bajty widoczne, potem reszta (tak numerowane są pierwsze 256 tokenów GPT-2).
    """
    return dict(_byte_table()[0])


def bytes_to_piece(data: bytes) -> str:
    """Bajty tokenu w notacji ``Ġ``, np. ``b" kot" → "Ġkot"``."""
    table = _byte_table()[0]
    return "".join(table[b] for b in data)


def piece_to_bytes(piece: str) -> bytes:
    """Odwrotność :func:`bytes_to_piece`: ``"Ġkot" → b" kot"``."""
    table = _byte_table()[1]
    try:
        return bytes(table[c] for c in piece)
    except KeyError as err:
        raise KursError(f"Znak {err.args[0]!r} nie należy do notacji Ġ GPT-2: to nie jest zapis bajtów tokenu.") from None


# --------------------------------------------------------------------------- liczebniki




def n_tokens(n: int) -> str:
    """``n_tokens(3) == "3 tokeny"``, ``n_tokens(5) == "5 tokenów"``."""
    return plural_pl(n, "token", "tokeny", "tokenów")


# --------------------------------------------------------------------------- funkcje proste


def get_stats(ids, counts=None) -> dict[tuple[int, int], int]:
    """Policz pary sąsiednich elementów listy ``ids`` (jak w minbpe).

    ``get_stats([1, 2, 3, 1, 2]) == {(1, 2): 2, (2, 3): 1, (3, 1): 1}``. Gdy podasz słownik
    ``counts``, liczniki są do niego dodawane (tak liczymy pary w wielu kawałkach naraz).
    """
    counts = {} if counts is None else counts
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, idx) -> list[int]:
    """Zastąp każde wystąpienie pary ``pair`` w ``ids`` nowym tokenem ``idx`` (od lewej).

    ``merge([1, 2, 3, 1, 2], (1, 2), 4) == [4, 3, 4]``.
    """
    out = []
    i = 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _merge_sites(ids: list[int], a: int, b: int, idx: int) -> tuple[list[int], list[int], list[int]]:
    """:func:`merge` pary ``(a, b)`` oraz pozycje par, które scalenie zmieniło.

    Zwraca (nowa lista, pozycje zniknętych par w ``ids``, pozycje nowych par w nowej liście);
    para na pozycji ``p`` to ``(lista[p], lista[p + 1])``. Pozostałe pary przechodzą bez zmian,
    więc trening poprawia liczniki tylko w tych miejscach.
    """
    out: list[int] = []
    old_at: set[int] = set()
    new_at: set[int] = set()
    n = len(ids)
    i = 0
    while i < n:
        if i < n - 1 and ids[i] == a and ids[i + 1] == b:
            old_at.update((i - 1, i, i + 1))
            j = len(out)
            new_at.update((j - 1, j))
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    if not old_at:
        return out, [], []
    return (out, sorted(p for p in old_at if 0 <= p < n - 1), sorted(p for p in new_at if 0 <= p < len(out) - 1))


_SINGLE_BYTES = [bytes([b]) for b in range(256)]
_NO_RANK = float("inf")


def _bpe_parts(ranks: dict[bytes, int], data: bytes, max_rank: int | None = None) -> list[bytes]:
    """Podziel bajty ``data`` na tokeny: scalaj parę o najniższej randze (remis: od lewej).

    Trzymamy listę rang sąsiednich par i po scaleniu poprawiamy tylko dwie pary wokół niego
    (tak jak tiktoken); ``min`` i ``index`` szukają najlepszej pary.
    """
    if len(data) > _LONG_CHUNK:
        return _bpe_parts_heap(ranks, data, max_rank)
    get = ranks.get
    limit = _NO_RANK if max_rank is None else max_rank
    parts = list(map(_SINGLE_BYTES.__getitem__, data))
    pair_ranks = [get(parts[i] + parts[i + 1], _NO_RANK) for i in range(len(parts) - 1)]
    while pair_ranks:
        best = min(pair_ranks)
        if best > limit or best == _NO_RANK:
            break
        i = pair_ranks.index(best)
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
        del pair_ranks[i]
        if i < len(pair_ranks):
            pair_ranks[i] = get(parts[i] + parts[i + 1], _NO_RANK)
        if i > 0:
            pair_ranks[i - 1] = get(parts[i - 1] + parts[i], _NO_RANK)
    return parts


def _bpe_parts_heap(ranks: dict[bytes, int], data: bytes, max_rank: int | None) -> list[bytes]:
    """To samo co :func:`_bpe_parts`, ale w czasie O(n log n) dla długich kawałków.

    Części to spójne przedziały bajtów; część identyfikuje pozycja jej początku. Kopiec trzyma
    (ranga, początek lewej części, długość lewej, długość prawej); wpis jest nieaktualny, gdy
    któraś z części zmieniła długość albo zniknęła. Porządek (ranga, początek) to dokładnie
    „najniższa ranga, przy remisie pierwsza od lewej”.
    """
    n = len(data)
    length = [1] * n  # długość części zaczynającej się na pozycji i (0 = brak części)
    prev = list(range(-1, n - 1))
    heap = []

    def pair_entry(left: int):
        right = left + length[left]
        if right >= n:
            return None
        r = ranks.get(data[left : right + length[right]])
        if r is None or (max_rank is not None and r > max_rank):
            return None
        return (r, left, length[left], length[right])

    for i in range(n - 1):
        entry = pair_entry(i)
        if entry is not None:
            heap.append(entry)
    heapq.heapify(heap)
    while heap:
        _, left, len_left, len_right = heapq.heappop(heap)
        right = left + len_left
        if length[left] != len_left or right >= n or length[right] != len_right:
            continue  # nieaktualny wpis
        length[left] = len_left + len_right
        length[right] = 0
        after = left + length[left]
        if after < n:
            prev[after] = left
        for start in (prev[left], left):
            if start >= 0:
                entry = pair_entry(start)
                if entry is not None:
                    heapq.heappush(heap, entry)
    out = []
    i = 0
    while i < n:
        out.append(data[i : i + length[i]])
        i += length[i]
    return out


def readable_piece(data: bytes) -> str:
    """Token do oglądania: tekst, jeśli bajty są poprawnym UTF-8, inaczej bajty szesnastkowo.

    ``b" kot" → " kot"``, ``b"\\xc5" → "⟨C5⟩"`` (pół litery „ł”, której drugi bajt jest
    w następnym tokenie).
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "⟨" + " ".join(f"{b:02X}" for b in data) + "⟩"


#: Surogat bez pary: wysoki, za którym nie stoi niski, albo niski, przed którym nie stoi wysoki.
_LONE_SURROGATE = regex.compile("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")


def _utf8_text(text: str) -> str:
    """Tekst, który da się zapisać w UTF-8: pary surogatów połączone w znaki (jak w tiktoken).

    Pojedynczy surogat (bez drugiej połowy pary) to :class:`KursError` z jego pozycją w ``text``.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    lone = _LONE_SURROGATE.search(text)
    if lone is not None:
        code = ord(lone.group())
        half = "wysoką" if code < 0xDC00 else "niską"
        raise KursError(
            f"Tekst zawiera pojedynczy surogat U+{code:04X} na pozycji {lone.start()} ({half} połówkę "
            "pary UTF-16 bez drugiej połowy), którego nie da się zapisać w UTF-8: usuń go albo popraw "
            "kodowanie tekstu."
        )
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


# --------------------------------------------------------------------------- tokenizator


class BPETokenizer:
    """Bajtowy tokenizator BPE w stylu GPT-2 (rozdział 1).

    Powstaje na trzy sposoby: :meth:`train` (trening od zera na tekście), :meth:`load` (z plików
    ``vocab.json`` i ``merges.txt``) oraz :meth:`from_tiktoken` (ze słownika GPT-2 albo GPT-4).
    Tokenizator kursu zwraca :func:`polish_tokenizer`.

    Wewnątrz trzyma słownik „bajty tokenu → ID” (ID to zarazem ranga: niższy = wcześniej
    nauczony) oraz tokeny specjalne (ang. *special tokens*) takie jak ``<|endoftext|>``.
    """

    def __init__(self, ranks: dict[bytes, int], special_tokens: dict[str, int] | None = None,
                 pattern: str = GPT2_PATTERN, *, merges: list[tuple[bytes, bytes]] | None = None,
                 name: str = "bpe"):
        require_type(ranks, dict, "Słownik tokenizatora (ranks) musi być słownikiem: bajty → ID.")
        singles = {k for k in ranks if len(k) == 1}
        require(len(singles) == 256, "Słownik bajtowego BPE musi zawierać wszystkie 256 pojedynczych bajtów.")
        self._ranks = dict(ranks)
        self._decoder = {i: b for b, i in self._ranks.items()}
        require(len(self._decoder) == len(self._ranks), "Dwa tokeny w słowniku mają ten sam ID: każdy ID musi być jeden.")
        self.special_tokens = dict(special_tokens or {})
        for tok, i in self.special_tokens.items():
            require(i not in self._decoder, f"Token specjalny {tok!r} ma ID {i}, zajęty już przez zwykły token.")
        self._special_decoder = {i: t for t, i in self.special_tokens.items()}
        self.pattern = pattern
        self._compiled = regex.compile(pattern)
        self.name = name
        self._merges_bytes = merges
        self._merge_rank_order = sorted(i for b, i in self._ranks.items() if len(b) > 1)
        self._cache: dict[str, list[int]] = {}
        self._vocab: dict[str, int] | None = None
        #: Liczba wystąpień każdej pary w chwili scalenia (tylko po :meth:`train`).
        self.merge_counts: list[int] = []

    # ----------------------------------------------------------------- opis

    def __repr__(self) -> str:
        return (f"BPETokenizer(name={self.name!r}, vocab_size={self.vocab_size}, "
                f"merges={len(self._merge_rank_order)}, special_tokens={list(self.special_tokens)})")

    @property
    def vocab_size(self) -> int:
        """Liczba tokenów: 256 bajtów + scalenia + tokeny specjalne."""
        return len(self._ranks) + len(self.special_tokens)

    @property
    def n_vocab(self) -> int:
        """Największy ID + 1 (jak ``tiktoken.Encoding.n_vocab``): rozmiar warstwy osadzeń."""
        return max([*self._decoder, *self._special_decoder]) + 1

    @property
    def vocab(self) -> dict[str, int]:
        """Słownik „token w notacji ``Ġ`` → ID” (jak ``vocab.json`` GPT-2), w kolejności ID."""
        if self._vocab is None:
            vocab = {bytes_to_piece(b): i for i, b in sorted(self._decoder.items())}
            vocab.update(self.special_tokens)
            self._vocab = vocab
        return self._vocab

    @property
    def merges(self) -> list[tuple[str, str]]:
        """Scalenia w kolejności rang jako pary tokenów w notacji ``Ġ`` (jak ``merges.txt``)."""
        return [(bytes_to_piece(a), bytes_to_piece(b)) for a, b in self._merge_pairs()]

    def _merge_pairs(self) -> list[tuple[bytes, bytes]]:
        if self._merges_bytes is None:
            # odtwarzamy parę każdego tokenu: BPE na jego bajtach z rangami niższymi niż jego
            pairs = []
            for rank in self._merge_rank_order:
                token = self._decoder[rank]
                parts = _bpe_parts(self._ranks, token, max_rank=rank - 1)
                if len(parts) != 2:
                    raise KursError(f"Tokenu {bytes_to_piece(token)!r} nie da się zbudować z dwóch wcześniejszych tokenów.")
                pairs.append((parts[0], parts[1]))
            self._merges_bytes = pairs
        return self._merges_bytes

    def id_to_piece(self, token_id: int) -> str:
        """Token o danym ID w notacji ``Ġ`` (tokeny specjalne – jak są, np. ``<|endoftext|>``)."""
        if token_id in self._special_decoder:
            return self._special_decoder[token_id]
        return bytes_to_piece(self.token_bytes(token_id))

    def piece_to_id(self, piece: str) -> int:
        """ID tokenu zapisanego w notacji ``Ġ`` (np. ``"Ġkot"``)."""
        require_type(piece, str, "Token musi być napisem w notacji Ġ, np. \"Ġkot\".")
        if piece in self.special_tokens:
            return self.special_tokens[piece]
        data = piece_to_bytes(piece)
        require(data in self._ranks, f"Tokenu {piece!r} nie ma w słowniku.")
        return self._ranks[data]

    def token_bytes(self, token_id: int) -> bytes:
        """Bajty tokenu o danym ID."""
        if token_id in self._special_decoder:
            return self._special_decoder[token_id].encode("utf-8")
        try:
            return self._decoder[token_id]
        except (KeyError, TypeError):
            raise KursError(f"Nie ma tokenu o ID {token_id!r}: ID muszą być liczbami od 0 do {self.n_vocab - 1}.") from None

    # ----------------------------------------------------------------- trening

    @classmethod
    def train(cls, text, vocab_size, special_tokens=(ENDOFTEXT,), *, pattern: str = GPT2_PATTERN,
              verbose: bool = False) -> BPETokenizer:
        """Wytrenuj tokenizator BPE od zera na tekście ``text`` (algorytm w opisie modułu).

        ``vocab_size`` liczy wszystkie tokeny: 256 bajtów + scalenia + tokeny specjalne (tak jak
        50 257 w GPT-2 = 256 + 50 000 + 1). Tokeny specjalne dostają ostatnie ID. Teksty tokenów
        specjalnych w ``text`` są granicami, nie biorą udziału w scaleniach. Gdy w tekście
        zabraknie par do scalenia, słownik wychodzi mniejszy niż ``vocab_size``.
        """
        require_type(text, str, f"Tekst do treningu musi być napisem (str), a przyszedł obiekt typu {type(text).__name__}.")
        require(len(text) > 0, "Tekst do treningu jest pusty: podaj choć jedno zdanie.")
        if isinstance(special_tokens, str):
            special_tokens = (special_tokens,)
        special_tokens = tuple(special_tokens)
        for tok in special_tokens:
            require_type(tok, str, "Tokeny specjalne muszą być napisami, np. \"<|endoftext|>\".")
            require(len(tok) > 0, "Token specjalny nie może być pustym napisem.")
        require(len(set(special_tokens)) == len(special_tokens), "Tokeny specjalne powtarzają się: podaj każdy raz.")
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int):
            raise KursTypeError(f"Rozmiar słownika (vocab_size) musi być liczbą całkowitą, a podano {vocab_size!r}.")
        minimum = 256 + len(special_tokens)
        require(vocab_size >= minimum,
                f"Rozmiar słownika {vocab_size} jest za mały: potrzeba co najmniej {minimum} "
                f"(256 bajtów + {len(special_tokens)} tokenów specjalnych).")
        compiled = regex.compile(pattern)
        text = _utf8_text(text)  # pary surogatów → znaki; pojedynczy surogat → czytelny błąd

        # 1. kawałki z częstościami (teksty tokenów specjalnych są granicami)
        counts: Counter[str] = Counter()
        for segment in _split_special(text, special_tokens):
            counts.update(compiled.findall(segment))
        words = [list(chunk.encode("utf-8")) for chunk in counts]
        freqs = list(counts.values())

        # 2. liczniki par i indeks para → kawałki
        token_bytes = [bytes([b]) for b in range(256)]
        pair_counts: dict[tuple[int, int], int] = {}
        where: dict[tuple[int, int], set[int]] = {}
        for w, (word, f) in enumerate(zip(words, freqs)):
            for pair in zip(word, word[1:]):
                pair_counts[pair] = pair_counts.get(pair, 0) + f
                where.setdefault(pair, set()).add(w)
        heap = [(-c, token_bytes[a], token_bytes[b], a, b) for (a, b), c in pair_counts.items()]
        heapq.heapify(heap)

        ranks = {b: i for i, b in enumerate(token_bytes)}
        merges: list[tuple[bytes, bytes]] = []
        merge_counts: list[int] = []
        n_merges = vocab_size - minimum
        while len(merges) < n_merges and heap:
            neg, _, _, a, b = heapq.heappop(heap)
            if pair_counts.get((a, b)) != -neg:
                continue  # nieaktualny wpis kopca
            new_bytes = token_bytes[a] + token_bytes[b]
            if new_bytes in ranks:
                # te same bajty powstały już z innej pary: scalamy do istniejącego tokenu
                new_id = ranks[new_bytes]
            else:
                new_id = len(token_bytes)
                token_bytes.append(new_bytes)
                ranks[new_bytes] = new_id
                merges.append((token_bytes[a], token_bytes[b]))
                merge_counts.append(-neg)
                if verbose:
                    print(f"scalenie {len(merges)}: ({bytes_to_piece(token_bytes[a])!r}, "
                          f"{bytes_to_piece(token_bytes[b])!r}) -> {new_id} "
                          f"{bytes_to_piece(new_bytes)!r}, wystąpień: {-neg}")
            changed = set()
            for w in sorted(where.pop((a, b), ())):
                word = words[w]
                f = freqs[w]
                new_word, old_at, new_at = _merge_sites(word, a, b, new_id)
                if not old_at:
                    continue  # para zniknęła z tego kawałka wcześniej
                # poprawiamy tylko pary wokół scaleń (długi kawałek bez spacji nie jest liczony od nowa)
                for p in old_at:
                    pair = (word[p], word[p + 1])
                    pair_counts[pair] -= f
                    changed.add(pair)
                for p in new_at:
                    pair = (new_word[p], new_word[p + 1])
                    pair_counts[pair] = pair_counts.get(pair, 0) + f
                    changed.add(pair)
                    where.setdefault(pair, set()).add(w)
                words[w] = new_word
            for pair in changed:
                c = pair_counts[pair]
                if c > 0:
                    heapq.heappush(heap, (-c, token_bytes[pair[0]], token_bytes[pair[1]], *pair))
                else:
                    del pair_counts[pair]
                    where.pop(pair, None)

        next_id = len(token_bytes)
        specials = {tok: next_id + k for k, tok in enumerate(special_tokens)}
        tokenizer = cls(ranks, specials, pattern, merges=merges, name="bpe")
        tokenizer.merge_counts = merge_counts
        return tokenizer

    # ----------------------------------------------------------------- kodowanie

    def _encode_chunk(self, chunk: str) -> list[int]:
        ids = self._cache.get(chunk)
        if ids is None:
            data = chunk.encode("utf-8")
            rank = self._ranks.get(data)
            if rank is not None:
                ids = [rank]
            else:
                ranks = self._ranks
                ids = [ranks[p] for p in _bpe_parts(ranks, data)]
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[chunk] = ids
        return ids

    def encode_ordinary(self, text: str) -> list[int]:
        """Zakoduj tekst, traktując teksty tokenów specjalnych jak zwykły tekst."""
        _check_text(text)
        text = _utf8_text(text)
        out: list[int] = []
        cache = self._cache
        for chunk in self._compiled.findall(text):
            ids = cache.get(chunk)
            out.extend(self._encode_chunk(chunk) if ids is None else ids)
        return out

    def _allowed(self, allowed_special, disallowed_special) -> tuple[set[str], set[str]]:
        if allowed_special == "all":
            allowed = set(self.special_tokens)
        else:
            if isinstance(allowed_special, str):
                raise KursTypeError("allowed_special to zbiór tokenów, np. {\"<|endoftext|>\"}, albo napis \"all\".")
            allowed = set(allowed_special) & set(self.special_tokens)
        if disallowed_special == "all":
            disallowed = set(self.special_tokens) - allowed
        else:
            if isinstance(disallowed_special, str):
                raise KursTypeError("disallowed_special to zbiór napisów, np. {\"<|endoftext|>\"}, albo napis \"all\".")
            # jak tiktoken: każdy podany napis jest zakazany, także taki, który nie jest tokenem specjalnym
            disallowed = set(disallowed_special)
        return allowed, disallowed

    def _check_disallowed(self, text: str, disallowed: set[str]) -> None:
        for tok in sorted(disallowed):
            if tok not in text:
                continue
            if tok in self.special_tokens:
                raise KursError(
                    f"Tekst zawiera token specjalny {tok!r}: jeśli ma być jednym tokenem, podaj "
                    f"allowed_special={{{tok!r}}}, a jeśli zwykłym tekstem – disallowed_special=()."
                )
            raise KursError(
                f"Tekst zawiera napis {tok!r} zakazany w disallowed_special (nie jest on tokenem "
                f"specjalnym tego tokenizatora): usuń go z tekstu albo z disallowed_special."
            )

    def encode(self, text, allowed_special=frozenset(), disallowed_special="all") -> list[int]:
        """Zakoduj tekst na listę ID tokenów (jak ``tiktoken.Encoding.encode``).

        Tekst tokenu specjalnego (np. ``"<|endoftext|>"``) staje się jednym tokenem tylko wtedy,
        gdy jest w ``allowed_special`` (zbiór albo ``"all"``); w przeciwnym razie – jak
        w tiktoken – zgłaszamy błąd (:class:`~llmkurs.errors.KursError`, podklasa ``ValueError``),
        bo taki tekst zwykle trafia do danych przypadkiem. ``disallowed_special=()`` koduje go
        jako zwykły tekst. Zbiór ``disallowed_special`` może też wymieniać napisy, które nie są
        tokenami specjalnymi: tekst, który je zawiera, też daje błąd (tak samo w tiktoken).
        """
        _check_text(text)
        allowed, disallowed = self._allowed(allowed_special, disallowed_special)
        self._check_disallowed(text, disallowed)
        text = _utf8_text(text)
        if not allowed:
            return self.encode_ordinary(text)
        out: list[int] = []
        for segment in _split_special(text, allowed, keep=True):
            if segment in allowed:
                out.append(self.special_tokens[segment])
            else:
                out.extend(self.encode_ordinary(segment))
        return out

    def decode_bytes(self, ids) -> bytes:
        """Sklej bajty tokenów (bez dekodowania UTF-8)."""
        if isinstance(ids, (str, bytes)) or not hasattr(ids, "__iter__"):
            raise KursTypeError("Dekodujemy listę ID tokenów (liczb całkowitych), np. [1, 2, 3].")
        return b"".join(self.token_bytes(int(i)) for i in ids)

    def decode(self, ids) -> str:
        """Zamień listę ID z powrotem na tekst (niepełne znaki UTF-8 → „�”)."""
        return self.decode_bytes(ids).decode("utf-8", errors="replace")

    def tokens(self, text, allowed_special=frozenset(), *, num_merges: int | None = None) -> list[str]:
        """Tokeny tekstu w notacji ``Ġ``, np. ``["Oto", "Ġfragment", …]``.

        ``num_merges`` pozwala użyć tylko pierwszych ``num_merges`` scaleń (0 = same bajty):
        tak widać, jak słowo rozpada się na coraz mniej kawałków w miarę treningu.
        """
        if num_merges is None:
            return [self.id_to_piece(i) for i in self.encode(text, allowed_special)]
        return [self.id_to_piece(i) for i in self.encode_with_merges(text, num_merges, allowed_special)]

    def readable_tokens(self, text, allowed_special=frozenset()) -> list[str]:
        """Tokeny jako zwykły tekst (niepełne znaki UTF-8 szesnastkowo, patrz :func:`readable_piece`)."""
        return [readable_piece(self.token_bytes(i)) for i in self.encode(text, allowed_special)]

    def encode_with_merges(self, text, num_merges: int, allowed_special=frozenset()) -> list[int]:
        """Jak :meth:`encode`, ale wolno użyć tylko pierwszych ``num_merges`` scaleń."""
        _check_text(text)
        if isinstance(num_merges, bool) or not isinstance(num_merges, int):
            raise KursTypeError("Liczba scaleń (num_merges) musi być liczbą całkowitą.")
        total = len(self._merge_rank_order)
        require(0 <= num_merges <= total, f"Liczba scaleń musi być od 0 do {total}, a jest {num_merges}.")
        max_rank = self._merge_rank_order[num_merges - 1] if num_merges > 0 else -1
        allowed, disallowed = self._allowed(allowed_special, "all")
        for tok in disallowed:
            require(tok not in text, f"Tekst zawiera token specjalny {tok!r}: podaj allowed_special={{{tok!r}}}.")
        text = _utf8_text(text)
        out: list[int] = []
        for segment in _split_special(text, allowed, keep=True):
            if segment in allowed:
                out.append(self.special_tokens[segment])
                continue
            for chunk in self._compiled.findall(segment):
                out.extend(self._ranks[p] for p in _bpe_parts(self._ranks, chunk.encode("utf-8"), max_rank))
        return out

    # ----------------------------------------------------------------- pliki

    def save(self, folder) -> Path:
        """Zapisz ``vocab.json`` i ``merges.txt`` w formacie GPT-2 (oraz ``config.json``).

        ``config.json`` przechowuje wzorzec pre-tokenizacji i tokeny specjalne, których format
        GPT-2 nie zapisuje. Zwraca ścieżkę folderu.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vocab.json").write_text(
            json.dumps(self.vocab, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        lines = ["#version: 0.2"] + [f"{a} {b}" for a, b in self.merges]
        (folder / "merges.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        config = {"name": self.name, "pattern": self.pattern, "special_tokens": self.special_tokens}
        (folder / "config.json").write_text(
            json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder, pattern: str | None = None) -> BPETokenizer:
        """Wczytaj tokenizator z ``vocab.json`` i ``merges.txt`` (format GPT-2).

        Tokeny specjalne i wzorzec bierzemy z ``config.json``, jeśli jest; inaczej tokenem
        specjalnym jest każdy wpis ``vocab.json`` dłuższy niż bajt, którego nie tworzy żadne
        scalenie (jak ``<|endoftext|>`` w GPT-2), a wzorcem – :data:`GPT2_PATTERN`.
        """
        folder = Path(folder)
        require((folder / "vocab.json").exists() and (folder / "merges.txt").exists(),
                f"W folderze {str(folder)!r} nie ma plików vocab.json i merges.txt.")
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        merges = []
        for line in (folder / "merges.txt").read_text(encoding="utf-8").split("\n"):
            if line.startswith("#version") or not line:
                continue
            a, b = line.split(" ")
            merges.append((piece_to_bytes(a), piece_to_bytes(b)))
        config = {}
        if (folder / "config.json").exists():
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        merged = {a + b for a, b in merges}
        if "special_tokens" in config:
            specials = {t: int(i) for t, i in config["special_tokens"].items()}
        else:
            specials = {}
            for piece, i in vocab.items():
                try:
                    data = piece_to_bytes(piece)
                except KursError:
                    data = None
                if data is None or (len(data) > 1 and data not in merged):
                    specials[piece] = i
        ranks = {piece_to_bytes(p): i for p, i in vocab.items() if p not in specials}
        require(merged <= set(ranks), "Plik merges.txt tworzy tokeny, których nie ma w vocab.json.")
        pattern = pattern or config.get("pattern", GPT2_PATTERN)
        return cls(ranks, specials, pattern, merges=merges, name=config.get("name", folder.name))

    @classmethod
    def from_tiktoken(cls, name_or_encoding) -> BPETokenizer:
        """Zbuduj tokenizator kursu ze słownika tiktoken (np. ``"gpt2"``, ``"cl100k_base"``).

        Bierzemy rangi tokenów, wzorzec pre-tokenizacji i tokeny specjalne kodowania, więc
        :meth:`encode` i :meth:`encode_ordinary` dają dla każdego napisu bez pojedynczych
        surogatów dokładnie te same ID co ``Encoding.encode`` i ``Encoding.encode_ordinary``
        tiktoken, z tymi samymi ``allowed_special`` i ``disallowed_special`` (pary surogatów
        łączymy w znaki tak jak tiktoken), a tam, gdzie tiktoken zgłasza ``ValueError`` (tekst
        tokenu specjalnego albo napisu z ``disallowed_special``), zgłaszamy
        :class:`~llmkurs.errors.KursError`, podklasę ``ValueError``, z polskim komunikatem.
        Jedyna różnica: pojedynczy surogat tiktoken po cichu zamienia na U+FFFD, a my zgłaszamy
        :class:`~llmkurs.errors.KursError`. Scalenia (``.merges``) odtwarzamy dopiero, gdy ktoś
        o nie zapyta.
        """
        if isinstance(name_or_encoding, str):
            enc = tiktoken_encoding(name_or_encoding)
        else:
            enc = name_or_encoding
        try:
            ranks = enc._mergeable_ranks
            pattern = enc._pat_str
            specials = enc._special_tokens
        except AttributeError:
            raise KursTypeError("from_tiktoken przyjmuje nazwę kodowania (np. \"gpt2\") albo obiekt tiktoken.Encoding.") from None
        name = name_or_encoding if isinstance(name_or_encoding, str) else enc.name
        return cls(ranks, specials, pattern, name=name)


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise KursTypeError(f"Tokenizator koduje tekst (str), a dostał {type(text).__name__}: zamień dane na napis.")


def _split_special(text: str, specials, keep: bool = False) -> list[str]:
    """Potnij tekst na teksty tokenów specjalnych i resztę (``keep`` – zostaw tokeny w wyniku)."""
    if not specials:
        return [text]
    alternatives = "|".join(regex.escape(t) for t in sorted(specials, key=len, reverse=True))
    pattern = f"({alternatives})" if keep else f"(?:{alternatives})"
    return [part for part in regex.split(pattern, text) if part]


# --------------------------------------------------------------------------- tiktoken


def _repo_tiktoken_cache() -> Path:
    # .cache/tiktoken w repozytorium (pakiet zainstalowany w trybie edytowalnym: lib/llmkurs/)
    return Path(__file__).resolve().parents[2] / ".cache" / "tiktoken"


def tiktoken_encoding(name: str):
    """Kodowanie tiktoken o nazwie ``name`` albo :class:`KursError`, gdy nie da się go wczytać.

    ``"gpt2"`` czytamy jako ``"r50k_base"`` – to ten sam słownik w jednym pliku. Bez ustawionej
    zmiennej ``TIKTOKEN_CACHE_DIR`` używamy folderu ``.cache/tiktoken`` repozytorium, jeśli
    istnieje (wypełnia go ``scripts/fetch_tiktoken_files.py``).
    """
    require_type(name, str, "Nazwa kodowania tiktoken musi być napisem, np. \"gpt2\".")
    if "TIKTOKEN_CACHE_DIR" not in os.environ and _repo_tiktoken_cache().is_dir():
        os.environ["TIKTOKEN_CACHE_DIR"] = str(_repo_tiktoken_cache())
    try:
        import tiktoken
    except ImportError:
        raise KursError("Brak pakietu tiktoken: zainstaluj go poleceniem pip install tiktoken.") from None
    real = "r50k_base" if name == "gpt2" else name
    known = tiktoken.list_encoding_names()
    require(real in known, f"tiktoken nie zna kodowania {name!r}: wybierz jedno z {['gpt2', *known]}.")
    try:
        return tiktoken.get_encoding(real)
    except Exception:  # brak sieci, zła suma kontrolna, nieznana nazwa
        raise KursError(
            f"Nie udało się wczytać słownika {name!r} z tiktoken: plik trzeba pobrać z internetu "
            "(bez sieci uruchom scripts/fetch_tiktoken_files.py i ustaw TIKTOKEN_CACHE_DIR)."
        ) from None


def gpt2_encoding():
    """Tokenizator GPT-2 z tiktoken (``r50k_base``, 50 257 tokenów)."""
    return tiktoken_encoding("gpt2")


def cl100k_encoding():
    """Tokenizator GPT-4 z tiktoken (``cl100k_base``, ok. 100 tys. tokenów)."""
    return tiktoken_encoding("cl100k_base")


# --------------------------------------------------------------------------- tokenizator kursu


#: Rozmiar słownika tokenizatora kursu (uzasadnienie w rozdziale 1).
COURSE_VOCAB_SIZE = 4096


def _resource_dir() -> Path:
    return Path(__file__).resolve().parent / "resources" / "tokenizer"


@lru_cache(maxsize=1)
def _load_polish() -> BPETokenizer:
    folder = _resource_dir()
    require((folder / "vocab.json").exists(),
            "Brak plików tokenizatora kursu: uruchom python scripts/train_tokenizer.py.")
    tok = BPETokenizer.load(folder)
    tok.name = "kurs"
    return tok


def tokenizer_fingerprint(folder=None) -> str:
    """Odcisk (sha256) plików tokenizatora kursu: ``vocab.json`` + ``merges.txt``.

    Mały GPT zapisuje odcisk tokenizatora, na którym go wytrenowano; po ponownym treningu
    tokenizatora :func:`llmkurs.model.load_mini_gpt` zauważy, że model trzeba wytrenować od nowa.
    """
    import hashlib

    folder = Path(folder) if folder is not None else _resource_dir()
    digest = hashlib.sha256()
    for name in ("vocab.json", "merges.txt"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def polish_tokenizer() -> BPETokenizer:
    """Tokenizator kursu: bajtowy BPE wytrenowany na części treningowej korpusu.

    Pliki leżą w ``llmkurs/resources/tokenizer/`` (``vocab.json``, ``merges.txt``); tworzy je
    ``scripts/train_tokenizer.py`` wywołaniem :func:`train_polish_tokenizer`.
    """
    return _load_polish()


def train_polish_tokenizer(vocab_size: int = COURSE_VOCAB_SIZE) -> BPETokenizer:
    """Wytrenuj tokenizator kursu od nowa na ``load_corpus("train")`` (deterministycznie)."""
    from llmkurs.corpus import load_corpus

    tok = BPETokenizer.train(load_corpus("train"), vocab_size)
    tok.name = "kurs"
    return tok
