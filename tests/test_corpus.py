"""Korpus kursu i opcjonalne pobieranie z Wolnych Lektur (lokalny serwer HTTP, bez internetu)."""

from __future__ import annotations

import socket
import unicodedata

import pytest
from httpbooks import book_handler, serve

from llmkurs import corpus
from llmkurs.errors import KursError


def test_corpus_is_big_enough_polish_nfc_and_split():
    everything = corpus.load_corpus("all")
    assert len(everything) >= 1_000_000
    assert unicodedata.is_normalized("NFC", everything)
    assert "\r" not in everything
    for letter in "ąćęłńóśźż":
        assert letter in everything, letter
    train, heldout = corpus.load_corpus("train"), corpus.load_corpus("heldout")
    assert corpus.load_corpus() == everything
    assert heldout and train
    # Rozłączne pliki, a razem wszystkie.
    assert set(corpus.corpus_files("train")).isdisjoint(corpus.corpus_files("heldout"))
    assert sorted(corpus.corpus_files("train") + corpus.corpus_files("heldout")) == corpus.corpus_files("all")
    assert set(corpus.corpus_files("heldout")) == set(corpus.HELDOUT_FILES)
    # Część odłożona to kilkanaście procent całości i obejmuje każdy rejestr.
    assert 0.10 <= len(heldout) / len(everything) < 0.3
    registers = {corpus.register_of(n) for n in corpus.corpus_files("all")}
    assert len(registers) >= 14
    assert {corpus.register_of(n) for n in corpus.corpus_files("heldout")} == registers
    # Żaden akapit części odłożonej nie powtarza się w części treningowej.
    for paragraph in heldout.split("\n\n"):
        if len(paragraph) > 80:
            assert paragraph not in train


def test_everyday_words_recur_in_many_forms():
    text = corpus.load_corpus("all").lower()
    for form in ["kot", "kota", "psa", "pies", "dom", "domu", "rano", "rankiem", "poranek", "człowiek", "szedł", "przykład"]:
        assert text.count(form) >= 3, form


def test_corpus_stats_bounds_hold():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "corpus_stats.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Korpus spełnia wszystkie granice." in out.stdout


def test_every_file_has_a_register():
    for name in corpus.corpus_files("all"):
        assert corpus.register_of(name) in corpus.REGISTERS
    with pytest.raises(KursError, match="rejestru"):
        corpus.register_of("bez-rejestru.txt")


def test_bad_split_is_a_polish_error():
    with pytest.raises(ValueError, match="Nieznana część korpusu"):
        corpus.load_corpus("test")


_BODY = "Pierwszy wiersz próbnej książki.\r\nDrugi wiersz z literą ż.\r\n".encode("utf-8")
_Handler = book_handler({"/ksiazki/maly.txt": _BODY, "/ksiazki/duzy.txt": b"a" * 5000})


@pytest.fixture()
def server():
    with serve(_Handler) as url:
        yield url


def test_download_book_caches_and_normalises(server, tmp_path):
    _Handler.hits = 0
    text = corpus.download_book("maly", base_url=server, cache_dir=tmp_path)
    assert text == "Pierwszy wiersz próbnej książki.\nDrugi wiersz z literą ż.\n"
    assert _Handler.hits == 1
    again = corpus.download_book("maly", base_url=server, cache_dir=tmp_path)
    assert again == text and _Handler.hits == 1  # drugi raz z pamięci podręcznej
    assert len(list(tmp_path.glob("maly-*.txt"))) == 1


def test_download_book_errors_are_polish(server, tmp_path):
    with pytest.raises(KursError, match="Nie ma książki"):
        corpus.download_book("nie-ma-takiej", base_url=server, cache_dir=tmp_path)
    with pytest.raises(KursError, match="większy niż limit"):
        corpus.download_book("duzy", base_url=server, cache_dir=tmp_path, max_bytes=1000)
    with pytest.raises(KursError, match="złą postać"):
        corpus.download_book("../etc/passwd", base_url=server, cache_dir=tmp_path)
    with pytest.raises(TypeError, match="napisem"):
        corpus.download_book(123, base_url=server, cache_dir=tmp_path)


def test_download_book_offline_is_one_polish_sentence(tmp_path):
    # Port, na którym nikt nie słucha: połączenie odrzucone jak bez internetu.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(KursError, match="Nie udało się połączyć") as info:
        corpus.download_book("pan-tadeusz", base_url=f"http://127.0.0.1:{port}/", cache_dir=tmp_path, timeout=2)
    assert info.value.__cause__ is None and "\n" not in str(info.value)
