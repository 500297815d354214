"""Tokenizator BPE kursu (rozdział 1) wobec niezależnych odniesień.

Odniesienia: scalenia policzone ręcznie na małych napisach, naiwny trening liczący pary od
nowa po każdym scaleniu, tiktoken (GPT-2 i GPT-4) oraz oryginalne pliki GPT-2
``vocab.bpe``/``encoder.json``. Testy z tiktoken potrzebują plików słowników w
``TIKTOKEN_CACHE_DIR`` (``scripts/fetch_tiktoken_files.py``); bez nich są pomijane.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmkurs import tokenizer as T
from llmkurs.corpus import load_corpus
from llmkurs.errors import KursError, KursTypeError
from llmkurs.tokenizer import (
    GPT2_PATTERN,
    BPETokenizer,
    bytes_to_unicode,
    get_stats,
    merge,
    polish_tokenizer,
)

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(REPO / ".cache" / "tiktoken"))
BLOB = "https://openaipublic.blob.core.windows.net/"
URLS = {
    "gpt2": BLOB + "encodings/r50k_base.tiktoken",
    "cl100k_base": BLOB + "encodings/cl100k_base.tiktoken",
    "vocab.bpe": BLOB + "gpt-2/encodings/main/vocab.bpe",
    "encoder.json": BLOB + "gpt-2/encodings/main/encoder.json",
}


def cached_file(key: str) -> Path:
    return Path(os.environ["TIKTOKEN_CACHE_DIR"]) / hashlib.sha1(URLS[key].encode()).hexdigest()


def needs(key: str):
    return pytest.mark.skipif(not cached_file(key).exists(),
                              reason=f"brak pliku tiktoken {key} (uruchom scripts/fetch_tiktoken_files.py)")


@pytest.fixture(scope="module")
def gpt2():
    return T.gpt2_encoding()


@pytest.fixture(scope="module")
def cl100k():
    return T.cl100k_encoding()


@pytest.fixture(scope="module")
def small():
    """Mały tokenizator wytrenowany na części korpusu (szybki, z wieloma scaleniami)."""
    return BPETokenizer.train(load_corpus("train")[:30_000], 600)


# --------------------------------------------------------------------------- Ġ i proste funkcje


def test_bytes_to_unicode_is_gpt2_table():
    table = bytes_to_unicode()
    assert len(table) == 256 and len(set(table.values())) == 256
    assert table[32] == "Ġ" and table[10] == "Ċ" and table[9] == "ĉ" and table[ord("a")] == "a"
    assert all(ch.isprintable() and not ch.isspace() for ch in table.values())
    # ł = C5 82 w UTF-8
    assert T.bytes_to_piece("ł".encode()) == "ÅĤ"
    assert T.piece_to_bytes("Ġkot") == b" kot"


@needs("encoder.json")
def test_bytes_to_unicode_matches_gpt2_encoder_json():
    # pierwsze 256 wpisów encoder.json GPT-2 to pojedyncze bajty w kolejności tabeli
    encoder = json.loads(cached_file("encoder.json").read_text(encoding="utf-8"))
    first = [piece for piece, i in sorted(encoder.items(), key=lambda kv: kv[1])[:256]]
    assert first == list(bytes_to_unicode().values())


def test_get_stats_and_merge_like_minbpe():
    assert get_stats([1, 2, 3, 1, 2]) == {(1, 2): 2, (2, 3): 1, (3, 1): 1}
    assert merge([1, 2, 3, 1, 2], (1, 2), 4) == [4, 3, 4]
    assert merge([5, 5, 5], (5, 5), 9) == [9, 5]  # od lewej, bez nakładania
    counts = get_stats([1, 1], {(1, 1): 3})
    assert counts == {(1, 1): 4}


# --------------------------------------------------------------------------- trening


def test_train_wikipedia_example_by_hand():
    # „aaabdaaabac” (przykład z Wikipedii): aa → Z, ab → Y, ZY → X; potem remis rozstrzyga
    # porządek bajtów: (a, c) przed (X, a) itd.
    tok = BPETokenizer.train("aaabdaaabac", 256 + 4 + 1)
    assert tok.merges == [("a", "a"), ("a", "b"), ("aa", "ab"), ("a", "c")]
    assert tok.merge_counts == [4, 2, 2, 1]
    assert tok.vocab["aaab"] == 258 and tok.vocab["<|endoftext|>"] == 260
    assert tok.encode("aaabdaaabac") == [258, ord("d"), 258, 259]


def test_train_polish_example_by_hand():
    # kawałki: „kot”, „ kota”, „ kotu”, „ kotem”, „ kocie”
    tok = BPETokenizer.train("kot kota kotu kotem kocie", 256 + 3, special_tokens=())
    # (k, o): 5 razy; potem remis 4:4 między (Ġ, ko) i (ko, t): wygrywa b" " < b"ko"
    assert tok.merges == [("k", "o"), ("Ġ", "ko"), ("Ġko", "t")]
    assert tok.merge_counts == [5, 4, 3]
    assert tok.tokens("kot kotem") == ["ko", "t", "Ġkot", "e", "m"]


def naive_train(text: str, n_merges: int) -> list[tuple[bytes, bytes]]:
    """Odniesienie: liczy wszystkie pary od nowa przed każdym scaleniem (jak minbpe)."""
    import regex

    words = [list(c.encode()) for c in regex.findall(GPT2_PATTERN, text)]
    token = {i: bytes([i]) for i in range(256)}
    by_bytes = {v: k for k, v in token.items()}
    merges = []
    while len(merges) < n_merges:
        stats = {}
        for w in words:
            get_stats(w, stats)
        if not stats:
            break
        pair = min(stats, key=lambda p: (-stats[p], token[p[0]], token[p[1]]))
        new = token[pair[0]] + token[pair[1]]
        if new in by_bytes:
            idx = by_bytes[new]
        else:
            idx = len(token)
            token[idx] = new
            by_bytes[new] = idx
            merges.append((token[pair[0]], token[pair[1]]))
        words = [merge(w, pair, idx) for w in words]
    return merges


@pytest.mark.parametrize("seed", range(6))
def test_incremental_training_equals_naive(seed):
    rnd = random.Random(seed)
    if seed < 3:
        start = rnd.randrange(0, 90_000)
        text = load_corpus("train")[start : start + 3000]
    else:  # mały alfabet: dużo remisów i nakładających się par („aaaa”)
        text = "".join(rnd.choice("aab b\nł") for _ in range(2000))
    tok = BPETokenizer.train(text, 256 + 120, special_tokens=())
    assert tok._merge_pairs() == naive_train(text, 120)


@pytest.mark.parametrize("alphabet", ["ab", "aaab", "abcdefgh", "łąa"])
def test_long_chunk_without_spaces_equals_naive(alphabet):
    # jeden długi kawałek: liczniki poprawiane tylko wokół scaleń muszą dać to samo co liczenie od nowa
    rnd = random.Random(len(alphabet))
    text = "".join(rnd.choice(alphabet) for _ in range(3000))
    assert len(T.regex.findall(GPT2_PATTERN, text)) == 1
    tok = BPETokenizer.train(text, 256 + 150, special_tokens=())
    assert tok._merge_pairs() == naive_train(text, 150)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([1, 2, 3]), max_size=30), st.sampled_from([(1, 2), (1, 1), (2, 1), (3, 3)]))
def test_merge_sites_are_exactly_the_changed_pairs(ids, pair):
    new, old_at, new_at = T._merge_sites(ids, *pair, 9)
    assert new == merge(ids, pair, 9)
    old_pairs, new_pairs = list(zip(ids, ids[1:])), list(zip(new, new[1:]))
    kept_old = [p for i, p in enumerate(old_pairs) if i not in old_at]
    kept_new = [p for i, p in enumerate(new_pairs) if i not in new_at]
    assert kept_old == kept_new                                # reszta par bez zmian
    assert all(9 in new_pairs[i] for i in new_at)              # nowe pary zawierają nowy token
    assert (old_at == []) == (pair not in old_pairs)


def test_training_is_deterministic_and_roundtrips(small):
    again = BPETokenizer.train(load_corpus("train")[:30_000], 600)
    assert again.vocab == small.vocab and again.merges == small.merges
    assert small.vocab_size == 600 and len(small.merges) == 600 - 257
    # nowa para zawiera świeżo scalony token, więc liczba wystąpień najczęstszej pary nie rośnie
    assert small.merge_counts == sorted(small.merge_counts, reverse=True)
    text = load_corpus("heldout")
    assert small.decode(small.encode(text)) == text


def test_special_tokens_in_training_text_are_boundaries():
    tok = BPETokenizer.train("ala<|endoftext|>ala<|endoftext|>ala", 300)
    assert all("<|" not in a + b for a, b in tok.merges)
    assert tok.encode("ala<|endoftext|>", allowed_special="all") == [tok.vocab["ala"], tok.vocab["<|endoftext|>"]]


def test_vocab_stops_when_no_pairs_left():
    tok = BPETokenizer.train("ab", 1000)
    assert tok.merges == [("a", "b")] and tok.vocab_size == 258


# --------------------------------------------------------------------------- złe dane


@pytest.mark.parametrize("call, exc, words", [
    (lambda: BPETokenizer.train("abc", 256), KursError, "co najmniej 257"),
    (lambda: BPETokenizer.train("abc", 100, special_tokens=()), KursError, "za mały"),
    (lambda: BPETokenizer.train("", 300), KursError, "pusty"),
    (lambda: BPETokenizer.train(b"abc", 300), KursTypeError, "napisem"),
    (lambda: BPETokenizer.train("abc", 300.0), KursTypeError, "całkowitą"),
    (lambda: BPETokenizer.train("abc", 300, special_tokens=("<|a|>", "<|a|>")), KursError, "powtarzają"),
])
def test_training_errors_are_polish(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_encode_errors_are_polish(small):
    with pytest.raises(KursTypeError, match="tekst"):
        small.encode(123)
    with pytest.raises(KursTypeError):
        small.encode(["ala"])
    with pytest.raises(KursError, match="allowed_special"):
        small.encode("koniec<|endoftext|>")
    assert small.encode("koniec<|endoftext|>", allowed_special={"<|endoftext|>"})[-1] == 599
    assert 599 not in small.encode("koniec<|endoftext|>", disallowed_special=())
    with pytest.raises(KursError, match="surogat"):
        small.encode("a\ud800b")
    with pytest.raises(KursError, match="ID"):
        small.decode([10**6])
    with pytest.raises(KursTypeError):
        small.decode("abc")
    assert isinstance(KursError("x"), ValueError) and isinstance(KursTypeError("x"), TypeError)


# --------------------------------------------------------------------------- dekodowanie(kodowanie)


EMOJI = ["👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇵🇱", "🙂‍↔️", "🧑‍💻", "❤️"]
POLISH = "zażółć gęślą jaźń ZAŻÓŁĆ GĘŚLĄ JAŹŃ"


def odd_text():
    return st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
        st.lists(st.sampled_from(EMOJI + [" ", "a", "\u200d", "\ufe0f"]), max_size=20).map("".join),
        st.text(alphabet=POLISH, max_size=60).map(lambda s: unicodedata.normalize("NFD", s)),
        st.text(alphabet=st.characters(categories=["Cc", "Zs", "Zl", "Zp"]), max_size=60),
        st.lists(st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "x", "'s", "'re"]),
                 max_size=40).map("".join),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(odd_text())
def test_roundtrip_any_text_course_style(small, s):
    # hypothesis podsuwa też teksty tokenów specjalnych, np. "<|endoftext|>"
    assert small.decode(small.encode(s, allowed_special="all")) == s
    assert small.decode(small.encode(s, disallowed_special=())) == s


@needs("gpt2")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(odd_text())
def test_roundtrip_and_ids_equal_tiktoken_gpt2(gpt2, s):
    ours = gpt2_ours()
    ids = ours.encode(s, allowed_special="all")
    assert ids == gpt2.encode(s, allowed_special="all")
    assert ours.decode(ids) == s
    assert ours.encode(s, disallowed_special=()) == gpt2.encode(s, disallowed_special=())


@needs("cl100k_base")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(odd_text())
def test_ids_equal_tiktoken_cl100k_random(cl100k, s):
    ours = cl100k_ours()
    ids = ours.encode(s, allowed_special="all")
    assert ids == cl100k.encode(s, allowed_special="all")
    assert ours.decode(ids) == s


def test_long_runs_roundtrip(small):
    for s in [" " * 5000, "\n" * 3000, "a" * 20_000, "ł" * 5000, "🙂" * 2000, " \n" * 1000]:
        assert small.decode(small.encode(s)) == s


_OURS = {}


def gpt2_ours():
    if "gpt2" not in _OURS:
        _OURS["gpt2"] = BPETokenizer.from_tiktoken("gpt2")
    return _OURS["gpt2"]


def cl100k_ours():
    if "cl100k" not in _OURS:
        _OURS["cl100k"] = BPETokenizer.from_tiktoken("cl100k_base")
    return _OURS["cl100k"]


# --------------------------------------------------------------------------- tiktoken


def english_text() -> str:
    """Ok. 100 KB angielskiego tekstu: dokumentacja biblioteki standardowej + przypadki brzegowe."""
    import argparse
    import collections
    import email
    import functools
    import json as json_module
    import logging
    import os as os_module
    import pathlib
    import re
    import subprocess
    import unittest

    parts = []
    for module in [argparse, collections, email, json_module, logging, os_module, pathlib, re,
                   subprocess, functools, unittest, inspect, random]:
        for _, obj in sorted(vars(module).items()):
            doc = inspect.getdoc(obj) if callable(obj) else None
            if doc:
                parts.append(doc)
    edge = ("It's John's. They're here, we've been, I'm sure you'll see he'd go; don't. "
            "IT'S LOUD. 'quoted' ''double'' 12345678901234567890 3.14159 1,000,000 2024-05-01 "
            "tabs\tand\t\ttabs   three   spaces\n\n\n   \n  trailing  \r\n"
            "e-mail: a.b@c.pl, #hash, $100, 50%, (nawias) [x] {y} <z> ... !!! ??? --- __init__ ")
    return "\n\n".join(parts)[:100_000] + edge * 20


@pytest.fixture(scope="module")
def big_text():
    text = load_corpus("all") + "\n\n" + english_text()
    assert len(text.encode("utf-8")) > 200_000
    return text


@needs("gpt2")
def test_from_tiktoken_gpt2_same_ids_on_200kb(gpt2, big_text):
    ours = gpt2_ours()
    assert ours.vocab_size == 50257 and ours.special_tokens == {"<|endoftext|>": 50256}
    for piece in big_text.split("\n\n"):
        assert ours.encode(piece) == gpt2.encode(piece), piece[:60]
    ids = ours.encode(big_text)
    assert ids == gpt2.encode(big_text)
    assert ours.decode(ids) == big_text
    eot = "koniec<|endoftext|>początek"
    assert ours.encode(eot, allowed_special="all") == gpt2.encode(eot, allowed_special="all")


@needs("cl100k_base")
def test_from_tiktoken_cl100k_same_ids(cl100k, big_text):
    ours = cl100k_ours()
    ids = ours.encode(big_text)
    assert ids == cl100k.encode(big_text)
    assert ours.decode(ids) == big_text
    s = "<|fim_prefix|>a<|endoftext|>b"
    assert ours.encode(s, allowed_special="all") == cl100k.encode(s, allowed_special="all")


@needs("gpt2")
@needs("cl100k_base")
def test_notes_sentence_counts(gpt2, cl100k):
    s = "Oto fragment przykładowego wejścia"
    assert len(gpt2.encode(s)) == 14 and len(cl100k.encode(s)) == 12
    assert len(gpt2_ours().encode(s)) == 14


def test_long_chunk_heap_equals_simple_bpe():
    rnd = random.Random(1)
    ranks = polish_tokenizer()._ranks
    for _ in range(200):
        data = "".join(rnd.choice("aąb ł") for _ in range(rnd.randint(1, 150))).encode()
        assert T._bpe_parts_heap(ranks, data, None) == _simple(ranks, data)
        assert T._bpe_parts_heap(ranks, data, 300) == _simple(ranks, data, 300)


def _simple(ranks, data, max_rank=None):
    parts = [bytes([b]) for b in data]
    while True:
        cands = [(ranks[parts[i] + parts[i + 1]], i) for i in range(len(parts) - 1)
                 if parts[i] + parts[i + 1] in ranks]
        cands = [c for c in cands if max_rank is None or c[0] <= max_rank]
        if not cands:
            return parts
        _, i = min(cands)
        parts[i : i + 2] = [parts[i] + parts[i + 1]]


@needs("gpt2")
def test_merges_recovered_from_tiktoken_equal_gpt2_vocab_bpe():
    lines = cached_file("vocab.bpe").read_text(encoding="utf-8").split("\n")[1:-1]
    merges = gpt2_ours().merges
    assert len(merges) == len(lines) == 50_000
    assert [" ".join(m) for m in merges] == lines


@needs("vocab.bpe")
@needs("encoder.json")
def test_load_reads_original_gpt2_files(tmp_path, gpt2, big_text):
    (tmp_path / "vocab.json").write_bytes(cached_file("encoder.json").read_bytes())
    (tmp_path / "merges.txt").write_bytes(cached_file("vocab.bpe").read_bytes())
    tok = BPETokenizer.load(tmp_path)
    assert tok.special_tokens == {"<|endoftext|>": 50256}
    assert tok.encode(big_text[:50_000]) == gpt2.encode(big_text[:50_000])


# --------------------------------------------------------------------------- pliki i tokenizator kursu


def test_save_load_roundtrip(tmp_path, small):
    small.save(tmp_path)
    vocab = json.loads((tmp_path / "vocab.json").read_text(encoding="utf-8"))
    assert vocab == small.vocab and vocab["Ġ"] == 32 and vocab["<|endoftext|>"] == 599
    lines = (tmp_path / "merges.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#version: 0.2" and lines[1:] == [f"{a} {b}" for a, b in small.merges]
    back = BPETokenizer.load(tmp_path)
    assert back.vocab == small.vocab and back.merges == small.merges
    text = load_corpus("heldout")[:5000]
    assert back.encode(text) == small.encode(text)
    # bez config.json: tokeny specjalne rozpoznane jak w GPT-2
    (tmp_path / "config.json").unlink()
    assert BPETokenizer.load(tmp_path).special_tokens == {"<|endoftext|>": 599}
    with pytest.raises(KursError, match="vocab.json"):
        BPETokenizer.load(tmp_path / "nie-ma")


def test_polish_tokenizer_is_shipped_and_matches_retraining():
    tok = polish_tokenizer()
    assert tok.vocab_size == T.COURSE_VOCAB_SIZE
    assert tok.special_tokens == {"<|endoftext|>": T.COURSE_VOCAB_SIZE - 1}
    fresh = T.train_polish_tokenizer()
    assert fresh.merges == tok.merges, "korpus się zmienił: uruchom python scripts/train_tokenizer.py"
    assert fresh.vocab == tok.vocab


def test_polish_tokenizer_on_notes_sentence():
    tok = polish_tokenizer()
    s = "Oto fragment przykładowego wejścia"
    ids = tok.encode(s)
    assert tok.decode(ids) == s
    assert len(ids) <= 8
    assert "".join(tok.tokens(s)).replace("Ġ", " ") == T.bytes_to_piece(s.encode()).replace("Ġ", " ")


def test_tokens_with_num_merges():
    tok = polish_tokenizer()
    word = "przykładowego"
    assert tok.tokens(word, num_merges=0) == [T.bytes_to_piece(bytes([b])) for b in word.encode()]
    assert tok.tokens(word, num_merges=len(tok.merges)) == tok.tokens(word)
    counts = [len(tok.tokens(word, num_merges=k)) for k in range(0, len(tok.merges) + 1, 97)]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(KursError, match="od 0 do"):
        tok.tokens(word, num_merges=-1)


@needs("gpt2")
@needs("cl100k_base")
def test_compression_course_beats_gpt2_and_gpt4(gpt2, cl100k):
    held = load_corpus("heldout")
    ours = len(held) / len(polish_tokenizer().encode(held))
    assert ours > len(held) / len(gpt2.encode(held))
    assert ours > len(held) / len(cl100k.encode(held))


def test_tiktoken_encoding_errors_are_polish(monkeypatch):
    import tiktoken

    with pytest.raises(KursError, match="nie zna"):
        T.tiktoken_encoding("nie_ma_takiego")

    def offline(name):
        raise ConnectionError("brak sieci")

    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    with pytest.raises(KursError, match="internetu"):
        T.gpt2_encoding()
    with pytest.raises(KursError, match="internetu"):
        T.cl100k_encoding()


# --------------------------------------------------------------------------- surogaty i disallowed_special


def as_surrogate_pairs(text: str) -> str:
    """Znaki spoza BMP (np. emoji) zapisane jako pary surogatów UTF-16 – jak napis z JavaScriptu."""
    out = []
    for ch in text:
        code = ord(ch) - 0x10000
        out.append(chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF)) if code >= 0 else ch)
    return "".join(out)


def test_as_surrogate_pairs_by_hand():
    assert as_surrogate_pairs("a👍") == "a\ud83d\udc4d"
    assert as_surrogate_pairs("a👍").encode("utf-16", "surrogatepass").decode("utf-16") == "a👍"


PAIRS = ["\ud83d\udc4d", "x\ud83d\udc4dy", "\ud83d\udc4d\ud83d\udc4d", "Ola \ud83d\ude42 ma kota",
         as_surrogate_pairs("👩‍👩‍👧‍👦 🇵🇱 𝔸𝕓 😀<|endoftext|>")]


@needs("gpt2")
@needs("cl100k_base")
@pytest.mark.parametrize("s", PAIRS)
def test_surrogate_pairs_are_joined_like_tiktoken(gpt2, cl100k, s):
    joined = s.encode("utf-16", "surrogatepass").decode("utf-16")
    assert joined != s and not T._LONE_SURROGATE.search(s)
    for ours, theirs in [(gpt2_ours(), gpt2), (cl100k_ours(), cl100k)]:
        ids = ours.encode(s, allowed_special="all")
        assert ids == theirs.encode(s, allowed_special="all") == theirs.encode(joined, allowed_special="all")
        assert ours.encode_ordinary(s) == theirs.encode_ordinary(s)
        assert ours.decode(ids) == joined
    assert gpt2_ours().encode("\ud83d\udc4d") == gpt2.encode("👍")


@needs("gpt2")
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "ł", "👍", "😀", "𝔸", "🇵", "\u200d", "\n"]), max_size=30))
def test_surrogate_pairs_random_equal_tiktoken(gpt2, s):
    paired = as_surrogate_pairs(s)
    assert gpt2_ours().encode(paired, disallowed_special=()) == gpt2.encode(paired, disallowed_special=())
    assert polish_tokenizer().encode(paired) == polish_tokenizer().encode(s)


@pytest.mark.parametrize("s, code, where, half", [
    ("a\ud800b", "D800", 1, "wysoką"),
    ("x\ud83d", "D83D", 1, "wysoką"),
    ("\ud83d\ud83d\udc4d", "D83D", 0, "wysoką"),       # dwie wysokie: pierwsza bez pary
    ("\ud83d\udc4d\udc4d", "DC4D", 2, "niską"),        # para i niska bez wysokiej
    ("\udc4d\ud83d", "DC4D", 0, "niską"),              # odwrotna kolejność to nie para
    ("👍 ok \udfff", "DFFF", 5, "niską"),
])
def test_lone_surrogate_error_names_it_and_its_position(small, s, code, where, half):
    message = f"pojedynczy surogat U+{code} na pozycji {where} ({half} połówkę pary UTF-16 bez drugiej połowy)"
    for call in (small.encode, small.encode_ordinary, lambda t: small.encode_with_merges(t, 10),
                 lambda t: BPETokenizer.train(t, 300)):
        with pytest.raises(KursError) as err:
            call(s)
        assert message in str(err.value)


@needs("gpt2")
def test_lone_surrogate_is_our_only_difference_from_tiktoken(gpt2):
    # tiktoken zamienia pojedynczy surogat na U+FFFD (a więc decode nie oddaje tekstu); my – błąd
    assert gpt2.encode("a\ud800b") == gpt2.encode("a\ufffdb")
    with pytest.raises(KursError, match="surogat"):
        gpt2_ours().encode("a\ud800b")


DISALLOWED = [
    ("hello world", {"hello"}, frozenset()),
    ("hello world", {"xyz"}, frozenset()),
    ("hello world", {"hello", "<|endoftext|>"}, frozenset()),
    ("a<|endoftext|>b", {"<|endoftext|>"}, "all"),      # jawnie zakazany wygrywa z allowed „all”
    ("a<|endoftext|>b", {"b"}, "all"),
    ("a<|endoftext|>c", {"b"}, "all"),
    ("a<|endoftext|>b", (), frozenset()),
    ("a<|endoftext|>b", "all", {"<|endoftext|>"}),
    ("ala ma kota", ["kot"], frozenset()),
    ("", {""}, frozenset()),
    ("abc", {""}, frozenset()),
]


def _outcome(encode, text, disallowed, allowed):
    try:
        return encode(text, allowed_special=allowed, disallowed_special=disallowed)
    except ValueError:
        return ValueError


@needs("gpt2")
@needs("cl100k_base")
@pytest.mark.parametrize("text, disallowed, allowed", DISALLOWED)
def test_disallowed_special_equals_tiktoken(gpt2, cl100k, text, disallowed, allowed):
    for ours, theirs in [(gpt2_ours(), gpt2), (cl100k_ours(), cl100k)]:
        assert _outcome(ours.encode, text, disallowed, allowed) == _outcome(theirs.encode, text, disallowed, allowed)


def test_disallowed_non_special_string_is_a_polish_value_error(small):
    with pytest.raises(KursError, match="zakazany w disallowed_special") as err:
        small.encode("ala ma kota", disallowed_special={"kot"})
    assert isinstance(err.value, ValueError) and "'kot'" in str(err.value)
    assert small.encode("ala ma psa", disallowed_special={"kot"}) == small.encode("ala ma psa")
    with pytest.raises(KursError, match="allowed_special"):
        small.encode("a<|endoftext|>", disallowed_special={"<|endoftext|>"})
    with pytest.raises(KursTypeError, match="zbiór"):
        small.encode("ala", disallowed_special="<|endoftext|>")


def test_from_tiktoken_docstring_states_the_only_difference():
    doc = " ".join(inspect.getdoc(BPETokenizer.from_tiktoken).split())
    assert "bez pojedynczych surogatów dokładnie te same ID" in doc
    assert "pary surogatów łączymy w znaki tak jak tiktoken" in doc
    assert "Jedyna różnica: pojedynczy surogat" in doc
