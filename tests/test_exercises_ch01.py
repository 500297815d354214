"""Ćwiczenia rozdziału 1: rozwiązania z notatnika przechodzą, typowe błędy nie."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from llmkurs.exercises import ch01
from llmkurs.exercises.common import Feedback
from llmkurs.tokenizer import BPETokenizer, polish_tokenizer

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(REPO / ".cache" / "tiktoken"))
R50K = Path(os.environ["TIKTOKEN_CACHE_DIR"]) / hashlib.sha1(
    b"https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken").hexdigest()
needs_gpt2 = pytest.mark.skipif(not R50K.exists(), reason="brak pliku tiktoken GPT-2 (scripts/fetch_tiktoken_files.py)")
NOTEBOOK = REPO / "chapters" / "01-tokenizacja.ipynb"


def solution_cells() -> dict[int, str]:
    """Kod rozwiązań z ukrytych bloków ``<details>`` notatnika (numer ćwiczenia → kod)."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "<summary>Rozwiązanie" in src and "```python" in src:
            number = int(src.split("<!-- ćwiczenie ")[1].split(" ")[0])
            out[number] = src.split("```python")[1].split("```")[0]
    return out


@pytest.fixture(scope="module")
def solutions():
    if not NOTEBOOK.exists():
        pytest.skip("brak notatnika rozdziału 1")
    return solution_cells()


def run_solution(code: str) -> dict:
    scope: dict = {}
    exec(compile(code, "rozwiązanie", "exec"), scope)  # noqa: S102 – kod z naszego notatnika
    return scope


def test_all_answers_none_are_not_done():
    for check in (ch01.check_1, ch01.check_2, ch01.check_3, ch01.check_4, ch01.check_5):
        fb = check(None)
        assert isinstance(fb, Feedback) and not fb.ok and "uzupełnij" in fb.message


def test_ex1_merge_tree():
    tok = polish_tokenizer()
    if ch01.PIECE_1 not in tok.vocab:
        pytest.skip("„ przykład” nie jest tokenem tego słownika")
    tree = ch01.merge_tree(tok, ch01.PIECE_1)
    assert len(tree) == len(" przykład".encode()) - 1 == 9
    assert tree[-1] == tok.merges[tok.vocab[ch01.PIECE_1] - 256]
    # drzewo policzone ręcznie na małym tokenizerze: aa, ab, aa+ab
    small = BPETokenizer.train("aaabdaaabac", 260)
    assert ch01.merge_tree(small, "aaab") == [("a", "a"), ("a", "b"), ("aa", "ab")]
    assert ch01.merge_tree(small, "d") == []


def test_ex1_feedback():
    assert ch01.check_1(9, piece=ch01.PIECE_1).ok
    for wrong, words in [(10, "o jedno"), (7, "UTF-8"), (1, "wierzchołek"), (4, "rekurencyjnie"), ("9", "całkowita"), (True, "całkowita")]:
        fb = ch01.check_1(wrong, piece=ch01.PIECE_1)
        assert not fb.ok and words in fb.message, (wrong, fb.message)


def test_ex1_default_piece_is_not_the_drawn_one():
    tok = polish_tokenizer()
    piece = ch01.exercise_piece_1(tok)
    assert piece != ch01.PIECE_1 and piece in tok.vocab
    n_bytes = len(tok.token_bytes(tok.vocab[piece]))
    assert ch01.check_1(n_bytes - 1).ok            # niezależnie: n bajtów → n − 1 scaleń
    assert not ch01.check_1(n_bytes).ok
    assert not ch01.check_1(9).ok or n_bytes == 10


def test_ex5_prediction():
    tok = polish_tokenizer()
    # niezależne odniesienie: tokenizator wytrenowany od nowa z 600 scaleniami na tym samym korpusie
    from llmkurs.corpus import load_corpus
    small = BPETokenizer.train(load_corpus("train"), vocab_size=256 + 600 + 1)
    actual = len(small.encode(" porankiem"))
    assert actual == len(tok.encode_with_merges(" porankiem", 600))
    assert ch01.check_5(actual).ok
    for wrong in (actual + 1, max(actual - 1, 1) if actual > 1 else actual + 2, 0, "3", 2.0):
        assert not ch01.check_5(wrong).ok


def test_ex6_own_sentence():
    tok = polish_tokenizer()
    zdanie = "Kot i pies śpią razem na kanapie."
    n = len(tok.encode(zdanie))
    assert ch01.check_6(zdanie, n - 1).ok
    fb = ch01.check_6(zdanie, n)
    assert not fb.ok and "o jedną" in fb.message
    assert not ch01.check_6("Oto fragment przykładowego wejścia", 5).ok
    assert not ch01.check_6("", 0).ok
    assert not ch01.check_6(zdanie, None).ok
    assert not ch01.check_6(zdanie, "5").ok


@needs_gpt2
def test_ex2_feedback():
    assert ch01.check_2("przykładowego").ok
    assert ch01.check_2("  gżegżółka ").ok
    for wrong in ["kot", "dwa słowa", "ab3", "", 17]:
        assert not ch01.check_2(wrong).ok


def test_ex2_without_internet_is_a_polish_sentence(monkeypatch):
    from llmkurs import tokenizer

    def offline(name):
        raise tokenizer.KursError("Nie udało się wczytać słownika 'gpt2' z tiktoken: plik trzeba pobrać z internetu.")

    monkeypatch.setattr(ch01, "tiktoken_encoding", offline)
    fb = ch01.check_2("przykładowego")
    assert not fb.ok and "internetu" in fb.message


def test_ex3_feedback():
    good = lambda ids, m, s: [(ids[i : i + m], ids[i + 1 : i + m + 1]) for i in range(0, len(ids) - m, s)]  # noqa: E731
    assert ch01.check_3(good).ok
    off_by_one = lambda ids, m, s: [(ids[i : i + m], ids[i + 1 : i + m + 1]) for i in range(0, len(ids) - m + 1, s)]  # noqa: E731
    no_shift = lambda ids, m, s: [(ids[i : i + m], ids[i : i + m]) for i in range(0, len(ids) - m, s)]  # noqa: E731
    ignores_stride = lambda ids, m, s: [(ids[i : i + m], ids[i + 1 : i + m + 1]) for i in range(0, len(ids) - m)]  # noqa: E731
    for wrong in [off_by_one, no_shift, ignores_stride, lambda *a: 1 / 0, lambda *a: 5, [([0], [1])]]:
        assert not ch01.check_3(wrong).ok


def test_ex4_feedback():
    assert ch01.check_4(23).ok
    for wrong in [24, 25, 22, 92, 2.5]:
        assert not ch01.check_4(wrong).ok


def test_notebook_solutions_pass(solutions):
    assert set(solutions) >= {1, 2, 3, 4, 5, 6}
    s5 = run_solution(solutions[5])
    assert ch01.check_5(s5["prognoza_5"]).ok
    s6 = run_solution(solutions[6])
    assert ch01.check_6(s6["zdanie_6"], s6["prognoza_6"]).ok
    s1 = run_solution(solutions[1])
    assert ch01.check_1(s1["odpowiedz_1"]).ok
    s3 = run_solution(solutions[3])
    assert ch01.check_3(s3["odpowiedz_3"]).ok
    s4 = run_solution(solutions[4])
    assert ch01.check_4(s4["odpowiedz_4"]).ok
    if R50K.exists():
        s2 = run_solution(solutions[2])
        assert ch01.check_2(s2["odpowiedz_2"]).ok
