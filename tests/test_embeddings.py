"""Testy osadzeń (rozdziały 2–3): wartości porównujemy z niezależnie policzonymi wzorami."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from llmkurs.embeddings import (
    InputEmbedding,
    cosine_similarities,
    nearest_neighbors,
    pca_2d,
    recovery_rate,
    rope_rotate,
    sinusoidal_positions,
    skipgram_pairs,
    token_label,
    train_embeddings,
)
from llmkurs.errors import KursError, KursTypeError

# --------------------------------------------------------------------------- sinusoidy


def _pe_by_hand(num_positions: int, dim: int) -> list[list[float]]:
    table = []
    for p in range(num_positions):
        row = []
        for j in range(dim):
            i = j // 2
            angle = p / (10000 ** (2 * i / dim))
            row.append(math.sin(angle) if j % 2 == 0 else math.cos(angle))
        table.append(row)
    return table


@pytest.mark.parametrize("num_positions,dim", [(1, 2), (7, 10), (50, 16), (5, 128)])
def test_sinusoidal_matches_formula(num_positions, dim):
    pe = sinusoidal_positions(num_positions, dim)
    assert pe.shape == (num_positions, dim)
    assert pe.dtype == torch.float32
    ref = torch.tensor(_pe_by_hand(num_positions, dim), dtype=torch.float32)
    assert torch.allclose(pe, ref, atol=1e-6)


def test_sinusoidal_known_entries():
    pe = sinusoidal_positions(4, 4)
    # p=0: sin(0)=0, cos(0)=1 na zmianę
    assert pe[0].tolist() == [0.0, 1.0, 0.0, 1.0]
    # p=1, i=0: sin(1), cos(1); i=1: 1/10000^(2/4) = 0.01 → sin(0.01), cos(0.01)
    assert pe[1, 0].item() == pytest.approx(0.841470985, abs=1e-6)
    assert pe[1, 1].item() == pytest.approx(0.540302306, abs=1e-6)
    assert pe[3, 2].item() == pytest.approx(math.sin(0.03), abs=1e-7)
    assert pe[3, 3].item() == pytest.approx(math.cos(0.03), abs=1e-7)


@pytest.mark.parametrize("dim", [1, 3, 7, 255])
def test_sinusoidal_odd_dim_is_polish_error(dim):
    with pytest.raises(ValueError, match="parzyst"):
        sinusoidal_positions(4, dim)


@pytest.mark.parametrize("args", [(0, 4), (4, 0), (-1, 4), (4.0, 4), (True, 4)])
def test_sinusoidal_bad_sizes(args):
    with pytest.raises((KursError, KursTypeError)):
        sinusoidal_positions(*args)


# --------------------------------------------------------------------------- InputEmbedding


def test_token_table_equals_plain_embedding_after_same_seed():
    torch.manual_seed(123)
    layer = InputEmbedding(50, 8, 6)
    torch.manual_seed(123)
    plain = nn.Embedding(50, 8)
    assert torch.equal(layer.tok_emb.weight, plain.weight)
    # pozycje tworzone zaraz po tokenach: to druga tabela z tego samego strumienia
    torch.manual_seed(123)
    nn.Embedding(50, 8)
    second = nn.Embedding(6, 8)
    assert torch.equal(layer.pos_emb.weight, second.weight)


def test_book_example_seed_123():
    # Przykład z książki (rozdział 2): torch.manual_seed(123); nn.Embedding(6, 3); ID [2, 3, 5, 1].
    torch.manual_seed(123)
    layer = InputEmbedding(6, 3, 4)
    expected_row3 = torch.tensor([-0.4015, 0.9666, -1.1481])
    assert torch.allclose(layer.tok_emb.weight[3], expected_row3, atol=1e-4)
    ids = torch.tensor([2, 3, 5, 1])
    out = layer(ids)
    assert out.shape == (1, 4, 3)
    assert torch.allclose(out[0], layer.tok_emb.weight[ids] + layer.pos_emb.weight[:4])


def test_learned_forward_is_lookup_plus_positions():
    torch.manual_seed(0)
    layer = InputEmbedding(30, 5, 7)
    ids = torch.tensor([[1, 2, 3, 29], [0, 0, 4, 4]])
    out = layer(ids)
    assert out.shape == (2, 4, 5)
    for b in range(2):
        for t in range(4):
            ref = layer.tok_emb.weight[ids[b, t]] + layer.pos_emb.weight[t]
            assert torch.allclose(out[b, t], ref)


def test_book_shapes():
    # Kształty z książki: słownik 50257, wymiar 256, kontekst 4, partia 8 → (8, 4, 256).
    torch.manual_seed(123)
    layer = InputEmbedding(50257, 256, 4)
    ids = torch.randint(0, 50257, (8, 4))
    assert layer(ids).shape == (8, 4, 256)
    assert layer.pos_emb.weight.shape == (4, 256)


def test_sinusoidal_forward_and_buffer():
    torch.manual_seed(1)
    layer = InputEmbedding(20, 6, 9, positional="sinusoidal")
    ids = torch.tensor([[3, 3, 3]])
    out = layer(ids)
    ref = torch.tensor(_pe_by_hand(3, 6), dtype=torch.float32) + layer.tok_emb.weight[3]
    assert torch.allclose(out[0], ref, atol=1e-6)
    assert "pos_emb" in dict(layer.named_buffers())
    assert [name for name, _ in layer.named_parameters()] == ["tok_emb.weight"]
    # „kot kot kot”: te same tokeny, różne pozycje → różne wektory
    assert not torch.allclose(out[0, 0], out[0, 1])


def test_learned_vs_sinusoidal_switch_same_token_table():
    torch.manual_seed(5)
    learned = InputEmbedding(10, 4, 3, positional="learned")
    torch.manual_seed(5)
    sinus = InputEmbedding(10, 4, 3, positional="sinusoidal")
    assert torch.equal(learned.tok_emb.weight, sinus.tok_emb.weight)
    ids = torch.tensor([[1, 2, 3]])
    diff = learned(ids) - sinus(ids)
    assert torch.allclose(diff[0], learned.pos_emb.weight - sinusoidal_positions(3, 4), atol=1e-6)


def test_gradients_reach_both_learned_tables():
    torch.manual_seed(0)
    layer = InputEmbedding(10, 4, 5)
    layer(torch.tensor([[1, 2]])).sum().backward()
    assert layer.tok_emb.weight.grad[1].abs().sum() > 0
    assert layer.tok_emb.weight.grad[3].abs().sum() == 0
    assert layer.pos_emb.weight.grad[:2].abs().sum() > 0
    assert layer.pos_emb.weight.grad[2:].abs().sum() == 0


def test_dropout_train_and_eval():
    torch.manual_seed(0)
    layer = InputEmbedding(10, 64, 5, dropout=0.5)
    ids = torch.tensor([[1, 2, 3]])
    layer.eval()
    clean = layer(ids)
    ref = layer.tok_emb.weight[ids[0]] + layer.pos_emb.weight[:3]
    assert torch.allclose(clean[0], ref)
    layer.train()
    torch.manual_seed(1)
    noisy = layer(ids)
    zeros = noisy == 0
    assert 0.3 < zeros.float().mean().item() < 0.7
    assert torch.allclose(noisy[~zeros], 2 * clean[~zeros])


@pytest.mark.parametrize("bad", [torch.tensor([[0, 10]]), torch.tensor([[-1, 2]])])
def test_out_of_range_ids_name_the_limit(bad):
    layer = InputEmbedding(10, 4, 5)
    with pytest.raises(KursError, match="0…9"):
        layer(bad)


@pytest.mark.parametrize("context, seq, words", [(5, 6, "Sekwencja ma 6 tokenów, a warstwa zna tylko 5 pozycji"),
                                                  (32, 33, "Sekwencja ma 33 tokeny, a warstwa zna tylko 32 pozycje"),
                                                  (1, 2, "Sekwencja ma 2 tokeny, a warstwa zna tylko 1 pozycję")])
def test_too_long_sequence_names_context_length(context, seq, words):
    layer = InputEmbedding(10, 4, context)
    with pytest.raises(KursError, match=words):
        layer(torch.zeros(1, seq, dtype=torch.long))


@pytest.mark.parametrize("bad", [torch.tensor([[1.0, 2.0]]), torch.tensor([[True, False]]), [1, 2]])
def test_non_integer_ids_are_type_errors(bad):
    layer = InputEmbedding(10, 4, 5)
    with pytest.raises(KursTypeError):
        layer(bad)


def test_bad_shapes_and_parameters():
    layer = InputEmbedding(10, 4, 5)
    with pytest.raises(KursError):
        layer(torch.zeros(1, 1, 2, dtype=torch.long))
    with pytest.raises(KursError, match="pusta"):
        layer(torch.zeros(1, 0, dtype=torch.long))
    with pytest.raises(KursError, match="parzyst"):
        InputEmbedding(10, 5, 4, positional="sinusoidal")
    with pytest.raises(KursError, match="learned"):
        InputEmbedding(10, 4, 4, positional="absolute")
    with pytest.raises(KursError):
        InputEmbedding(10, 4, 4, dropout=1.0)
    with pytest.raises(KursError):
        InputEmbedding(0, 4, 4)
    # nieparzysty wymiar z pozycjami uczonymi jest dozwolony
    assert InputEmbedding(10, 5, 4)(torch.tensor([1, 2])).shape == (1, 2, 5)


# --------------------------------------------------------------------------- podobieństwo, PCA


def test_cosine_similarities_against_torch():
    torch.manual_seed(0)
    w = torch.randn(12, 5)
    sims = cosine_similarities(w, 4)
    ref = torch.nn.functional.cosine_similarity(w, w[4].expand_as(w), dim=1)
    assert torch.allclose(sims, ref, atol=1e-6)
    assert sims[4].item() == pytest.approx(1.0, abs=1e-6)


def test_cosine_by_hand_kot():
    w = torch.tensor([[1.2, 5.3], [1.0, 4.8], [-5.3, 1.2]])
    sims = cosine_similarities(w, 0)
    by_hand = (1.2 * 1.0 + 5.3 * 4.8) / (math.hypot(1.2, 5.3) * math.hypot(1.0, 4.8))
    assert sims[1].item() == pytest.approx(by_hand, abs=1e-6)
    assert sims[2].item() == pytest.approx(0.0, abs=1e-6)  # prostopadłe


def test_nearest_neighbors_known_answer():
    w = torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.0], [0.8, 0.3]])
    ids, sims = nearest_neighbors(w, 0, k=2)
    assert ids == [1, 4]
    assert sims[0] == pytest.approx(0.9 / math.hypot(0.9, 0.1), abs=1e-6)
    ids, _ = nearest_neighbors(w, 0, k=2, candidates=[2, 3, 4])
    assert ids == [4, 2]
    ids, _ = nearest_neighbors(w, 0, k=10, exclude=[1])
    assert ids == [4, 2, 3]


def test_pca_keeps_distances_of_planar_points():
    torch.manual_seed(0)
    plane = torch.randn(2, 6)
    coords = torch.randn(9, 2) * torch.tensor([3.0, 1.0])
    points = coords @ plane + torch.randn(6)  # wszystkie punkty na jednej płaszczyźnie w 6-D
    proj = pca_2d(points)
    assert proj.shape == (9, 2)
    assert torch.allclose(torch.cdist(proj.double(), proj.double()), torch.cdist(points.double(), points.double()), atol=1e-4)
    # kolejne wywołanie daje to samo (znaki osi ustalone)
    assert torch.equal(proj, pca_2d(points))


def test_token_label_uses_g_for_space():
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    ids = tok.encode(" kot")
    assert "".join(token_label(tok, i) for i in ids) == "Ġkot"


# --------------------------------------------------------------------------- trening


def test_skipgram_pairs_by_hand():
    centers, contexts = skipgram_pairs([5, 6, 7], window=1)
    pairs = sorted(zip(centers.tolist(), contexts.tolist()))
    assert pairs == [(5, 6), (6, 5), (6, 7), (7, 6)]
    centers, contexts = skipgram_pairs([1, 2, 3, 4], window=2)
    assert len(centers) == 2 * 3 + 2 * 2


def test_training_puts_interchangeable_tokens_together():
    # Sztuczny „korpus”: tokeny 3 i 4 stoją zawsze w tych samych sąsiedztwach (0 _ 1 albo 2 _ 5),
    # a 6 i 7 w innych (8 _ 9). Po treningu najbliższym sąsiadem 3 ma być 4, a 6 – 7.
    gen = torch.Generator().manual_seed(0)
    seq = []
    for _ in range(600):
        r = int(torch.randint(4, (1,), generator=gen))
        if r == 0:
            seq += [0, 3, 1]
        elif r == 1:
            seq += [2, 4, 5]
        elif r == 2:
            seq += [0, 4, 1, 2, 3, 5]
        else:
            seq += [8, 6 + int(torch.randint(2, (1,), generator=gen)), 9]
    result = train_embeddings(torch.tensor(seq), 10, dim=8, window=1, epochs=15, batch_size=256, lr=0.02, subsample=0)
    assert result["losses"][-1] < result["losses"][0]
    assert nearest_neighbors(result["trained"], 3, k=1)[0] == [4]
    assert nearest_neighbors(result["trained"], 6, k=1)[0] == [7]
    again = train_embeddings(torch.tensor(seq), 10, dim=8, window=1, epochs=15, batch_size=256, lr=0.02, subsample=0)
    assert torch.equal(result["trained"], again["trained"])
    assert result["initial"].shape == (10, 8)


def test_training_rejects_bad_ids():
    with pytest.raises(KursError):
        train_embeddings(torch.tensor([0, 1, 2, 12]), 10)
    with pytest.raises(KursError):
        train_embeddings(torch.tensor([0, 1]), 10, window=2)


# --------------------------------------------------------------------------- doświadczenie z sumą


def _reference_samples(dim, vocab_size, context_length, num_samples, seed):
    gen = torch.Generator().manual_seed(seed)
    tok = torch.randn(vocab_size, dim, generator=gen)
    pos = torch.randn(context_length, dim, generator=gen)
    t = torch.randint(vocab_size, (num_samples,), generator=gen)
    p = torch.randint(context_length, (num_samples,), generator=gen)
    return tok, pos, t, p


@pytest.mark.parametrize("dim", [2, 6, 40])
def test_recovery_matches_bruteforce(dim):
    v, c, n = 30, 8, 100
    tok, pos, t, p = _reference_samples(dim, v, c, n, seed=3)
    s = (tok[t] + pos[p]).double()
    # osobno: najbliższy wektor tokenu i najbliższy wektor pozycji (cdist w float64)
    t_sep = torch.cdist(s, tok.double()).argmin(1)
    p_sep = torch.cdist(s, pos.double()).argmin(1)
    got = recovery_rate(dim, v, c, n, seed=3, method="separate")
    assert got["token"] == pytest.approx((t_sep == t).double().mean().item(), abs=0.011)
    assert got["position"] == pytest.approx((p_sep == p).double().mean().item(), abs=0.011)
    # razem: najbliższa suma spośród wszystkich v·c par
    sums = (tok.double()[:, None, :] + pos.double()[None, :, :]).reshape(v * c, dim)
    flat = torch.cdist(s, sums).argmin(1)
    got_joint = recovery_rate(dim, v, c, n, seed=3, method="joint")
    ref_both = ((flat // c == t) & (flat % c == p)).double().mean().item()
    assert got_joint["both"] == pytest.approx(ref_both, abs=0.011)


def test_recovery_grows_with_dimension():
    low = recovery_rate(2, num_samples=300)
    high = recovery_rate(512, num_samples=300)
    assert low["token"] < 0.1
    assert high["both"] == 1.0
    noisy_low = recovery_rate(2, num_samples=100, method="joint", noise=0.5)
    noisy_high = recovery_rate(128, num_samples=100, method="joint", noise=0.5)
    assert noisy_low["both"] < 0.2 and noisy_high["both"] == 1.0


def test_recovery_errors():
    with pytest.raises(KursError):
        recovery_rate(0)
    with pytest.raises(KursError):
        recovery_rate(4, method="magic")
    with pytest.raises(KursError):
        recovery_rate(4, noise=-1.0)


# --------------------------------------------------------------------------- RoPE


def test_rope_2d_is_rotation_matrix():
    x = torch.tensor([1.0, 2.0])
    angle = 3.0  # dim=2 → θ_0 = 1, kąt = pozycja
    rot = torch.tensor([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    assert torch.allclose(rope_rotate(x, 3), rot @ x, atol=1e-6)
    assert torch.allclose(rope_rotate(x, 0), x)


def test_rope_dot_product_depends_only_on_distance():
    torch.manual_seed(0)
    q, k = torch.randn(16, dtype=torch.float64), torch.randn(16, dtype=torch.float64)
    a = rope_rotate(q, 7) @ rope_rotate(k, 4)
    b = rope_rotate(q, 103) @ rope_rotate(k, 100)
    assert a.item() == pytest.approx(b.item(), abs=1e-9)
    assert rope_rotate(q, 5).norm().item() == pytest.approx(q.norm().item(), abs=1e-9)
    with pytest.raises(KursError):
        rope_rotate(torch.randn(3), 1)


def test_course_corpus_training_moves_related_words_up():
    """Ustawienie z rozdziału 2: pokrewne słowa awansują na liście (czas mierzy rozdział, nie test)."""
    from llmkurs.corpus import load_corpus
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    ids = torch.tensor(tok.encode(load_corpus("train")))
    result = train_embeddings(ids, tok.vocab_size, dim=32, window=2, negatives=5, epochs=2, batch_size=2048, seed=123)
    counts = torch.bincount(ids, minlength=tok.vocab_size)
    frequent = (counts >= 5).nonzero().flatten()
    pairs = [("kot", "pies"), ("ojciec", "dziadek"), ("matka", "babcia"), ("powiedział", "zapytał"), ("dwa", "trzy")]

    def rank(table, a, b):
        (ia,), (ib,) = tok.encode(" " + a), tok.encode(" " + b)
        sims = cosine_similarities(table, ia)
        others = frequent[frequent != ia]
        return int((sims[others] > sims[ib]).sum()) + 1

    before = sorted(rank(result["initial"], a, b) for a, b in pairs)
    after = sorted(rank(result["trained"], a, b) for a, b in pairs)
    assert before[2] > 100  # losowa tabela: mediana miejsca w setkach (z ~1100)
    assert after[2] < 40  # po treningu: w pierwszych kilkudziesięciu
