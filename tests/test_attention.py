"""Testy llmkurs.attention: liczby z książki i niezależne odniesienia (funkcje torch, wzory)."""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from llmkurs.attention import (
    EXAMPLE_SENTENCE,
    EXAMPLE_TOKENS,
    MAX_SENTENCE_TOKENS,
    CausalAttention,
    MultiHeadAttention,
    MultiHeadAttentionWrapper,
    SelfAttentionV1,
    SelfAttentionV2,
    causal_mask,
    example_inputs,
    naive_attention,
    naive_softmax,
    sentence_vectors,
    softmax,
)
from llmkurs.errors import KursError, KursTypeError

ATOL = 1e-6


def batch():
    x = example_inputs()
    return torch.stack((x, x), dim=0)


# --- przykład prowadzący -----------------------------------------------------------------------

def test_example_sentence_has_six_tokens_matching_inputs():
    assert len(EXAMPLE_SENTENCE.split()) == 6 == len(EXAMPLE_TOKENS)
    x = example_inputs()
    assert x.shape == (6, 3)
    assert x[1].tolist() == pytest.approx([0.55, 0.87, 0.66])
    x[0, 0] = 100.0  # kopia: zmiana nie psuje następnego wywołania
    assert example_inputs()[0, 0].item() == pytest.approx(0.43)


# --- softmax ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_matches_torch(dim):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4, 5, generator=g) * 3
    assert torch.allclose(softmax(x, dim=dim), torch.softmax(x, dim=dim), atol=ATOL)
    assert torch.allclose(naive_softmax(x, dim=dim), torch.softmax(x, dim=dim), atol=ATOL)


def test_softmax_large_inputs_stable_where_naive_overflows():
    x = torch.tensor([1000.0, 1001.0, 1002.0])
    naive = naive_softmax(x)
    assert torch.isnan(naive).all()  # exp(1000) = inf, inf/inf = nan
    stable = softmax(x)
    # Wzór ręcznie: exp(-2), exp(-1), 1 podzielone przez sumę.
    e = [math.exp(-2), math.exp(-1), 1.0]
    expected = [v / sum(e) for v in e]
    assert stable.tolist() == pytest.approx(expected, abs=1e-6)
    assert torch.allclose(stable, torch.softmax(x, dim=-1), atol=ATOL)


def test_softmax_shift_invariance_and_sum():
    x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 3.0, 3.0]])
    assert torch.allclose(softmax(x), softmax(x + 50.0), atol=ATOL)
    assert torch.allclose(softmax(x).sum(-1), torch.ones(2), atol=ATOL)
    assert softmax(x)[1].tolist() == pytest.approx([1 / 3] * 3)


def test_softmax_with_minus_inf_and_lists():
    x = torch.tensor([0.0, -math.inf, 0.0])
    assert softmax(x).tolist() == pytest.approx([0.5, 0.0, 0.5])
    assert softmax([1, 2, 3]).tolist() == pytest.approx(torch.softmax(torch.tensor([1.0, 2.0, 3.0]), -1).tolist())
    # Wiersz z samych -inf: nan, tak jak w torch.softmax.
    assert torch.isnan(softmax(torch.full((3,), -math.inf))).all()
    assert torch.isnan(torch.softmax(torch.full((3,), -math.inf), -1)).all()


def test_softmax_bad_input_polish():
    with pytest.raises(KursError, match="Wymiar dim=5 nie istnieje"):
        softmax(torch.ones(3), dim=5)
    with pytest.raises(KursError, match="co najmniej jednej"):
        softmax(torch.tensor(1.0))
    with pytest.raises(KursError, match="pustym"):
        softmax(torch.ones(0))
    with pytest.raises(KursError, match="Nie umiem"):
        softmax("abc")


# --- uwaga naiwna ------------------------------------------------------------------------------

def test_naive_attention_book_numbers_and_hand_computation():
    x = example_inputs()
    context, weights = naive_attention(x)
    # Wyniki dla x^(2) policzone ręcznie jako iloczyny skalarne (pętla w Pythonie).
    rows = x.tolist()
    q = rows[1]
    scores = [sum(a * b for a, b in zip(q, r)) for r in rows]
    assert scores == pytest.approx([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865], abs=1e-4)
    exps = [math.exp(s) for s in scores]
    w2 = [e / sum(exps) for e in exps]
    assert weights[1].tolist() == pytest.approx(w2, abs=1e-6)
    ctx2 = [sum(w2[j] * rows[j][k] for j in range(6)) for k in range(3)]
    assert context[1].tolist() == pytest.approx(ctx2, abs=1e-6)
    assert context[1].tolist() == pytest.approx([0.4419, 0.6515, 0.5683], abs=1e-4)
    assert weights.shape == (6, 6)
    assert torch.allclose(weights.sum(-1), torch.ones(6), atol=ATOL)


def test_naive_attention_bad_shapes():
    with pytest.raises(KursError, match="Oczekuję macierzy"):
        naive_attention(batch())
    with pytest.raises(KursTypeError):
        naive_attention([[1.0, 2.0]])


# --- SelfAttentionV1 / V2 ------------------------------------------------------------------------

def test_v1_book_numbers_and_formula():
    torch.manual_seed(123)
    sa = SelfAttentionV1(3, 2)
    x = example_inputs()
    out = sa(x)
    assert out[1].tolist() == pytest.approx([0.3061, 0.8210], abs=1e-4)
    assert out[0].tolist() == pytest.approx([0.2996, 0.8053], abs=1e-4)
    # Odniesienie: wzór softmax(QKᵀ/√d_k)V z torch.softmax.
    q, k, v = x @ sa.W_query, x @ sa.W_key, x @ sa.W_value
    ref = torch.softmax(q @ k.T / math.sqrt(2), dim=-1) @ v
    assert torch.allclose(out, ref, atol=ATOL)
    assert sa.last_weights.shape == (6, 6) and not sa.last_weights.requires_grad
    # Krok po kroku z książki: zapytanie x^(2).
    assert (x[1] @ sa.W_query).tolist() == pytest.approx([0.4306, 1.4551], abs=1e-4)


def test_v2_book_numbers():
    torch.manual_seed(789)
    out = SelfAttentionV2(3, 2)(example_inputs())
    assert out[0].tolist() == pytest.approx([-0.0739, 0.0713], abs=1e-4)
    assert out[5].tolist() == pytest.approx([-0.0754, 0.0693], abs=1e-4)


def test_v1_equals_v2_with_copied_weights():
    torch.manual_seed(789)
    v2 = SelfAttentionV2(3, 2)
    v1 = SelfAttentionV1(3, 2)
    with torch.no_grad():
        v1.W_query.copy_(v2.W_query.weight.T)
        v1.W_key.copy_(v2.W_key.weight.T)
        v1.W_value.copy_(v2.W_value.weight.T)
    x = example_inputs()
    assert torch.allclose(v1(x), v2(x), atol=ATOL)
    assert torch.allclose(v1.last_weights, v2.last_weights, atol=ATOL)


def test_v2_bias_and_shapes():
    torch.manual_seed(0)
    sa = SelfAttentionV2(3, 4, qkv_bias=True)
    assert sa.W_query.bias is not None
    assert sa(example_inputs()).shape == (6, 4)


# --- CausalAttention ------------------------------------------------------------------------------

def test_causal_book_numbers():
    torch.manual_seed(123)
    ca = CausalAttention(3, 2, 6, 0.0)
    out = ca(batch())
    assert out.shape == (2, 6, 2)
    assert out[0, 0].tolist() == pytest.approx([-0.4519, 0.2216], abs=1e-4)
    assert out[1, 5].tolist() == pytest.approx([-0.5299, -0.1081], abs=1e-4)


def test_causal_equals_torch_sdpa():
    torch.manual_seed(1)
    ca = CausalAttention(5, 4, 10, 0.0)
    x = torch.randn(3, 7, 5)
    q, k, v = ca.W_query(x), ca.W_key(x), ca.W_value(x)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert torch.allclose(ca(x), ref, atol=ATOL)
    w = ca.last_weights
    assert torch.allclose(w.sum(-1), torch.ones(3, 7), atol=ATOL)
    assert (w.masked_select(causal_mask(7)) == 0).all()


def test_two_masking_methods_agree():
    torch.manual_seed(2)
    scores = torch.randn(6, 6)
    mask = causal_mask(6)
    # Metoda 1: softmax, zerowanie przyszłości, ponowna normalizacja wierszy.
    w = torch.softmax(scores, dim=-1) * (~mask)
    method1 = w / w.sum(-1, keepdim=True)
    # Metoda 2: -inf przed softmaksem.
    method2 = softmax(scores.masked_fill(mask, -torch.inf), dim=-1)
    assert torch.allclose(method1, method2, atol=ATOL)
    assert causal_mask(3).tolist() == [[False, True, True], [False, False, True], [False, False, False]]


def test_causal_shorter_input_than_context():
    torch.manual_seed(123)
    ca = CausalAttention(3, 2, 10, 0.0)
    out = ca(batch()[:, :4])
    assert out.shape == (2, 4, 2) and ca.last_weights.shape == (2, 4, 4)


def test_dropout_identity_in_eval_and_active_in_train():
    torch.manual_seed(123)
    ca = CausalAttention(3, 2, 6, 0.5)
    torch.manual_seed(123)
    ref = CausalAttention(3, 2, 6, 0.0)
    ca.eval()
    assert torch.allclose(ca(batch()), ref(batch()), atol=ATOL)
    ca.train()
    torch.manual_seed(0)
    ca(batch())
    w = ca.last_weights
    # W treningu: część wag wyzerowana, pozostałe przeskalowane przez 1/(1-p) = 2.
    nonzero = w[w > 0]
    ref_w = ref.last_weights
    assert (w == 0).sum() > (ref_w == 0).sum()
    assert torch.allclose(w[w > 0], 2 * ref_w[w > 0], atol=ATOL)
    assert nonzero.numel() > 0


# --- wiele głów -----------------------------------------------------------------------------------

def test_wrapper_book_numbers():
    torch.manual_seed(123)
    mha = MultiHeadAttentionWrapper(3, 2, 6, 0.0, num_heads=2)
    out = mha(batch())
    assert out.shape == (2, 6, 4)
    assert out[0, 0].tolist() == pytest.approx([-0.4519, 0.2216, 0.4772, 0.1063], abs=1e-4)
    assert mha.last_weights.shape == (2, 2, 6, 6)


def test_mha_book_numbers():
    torch.manual_seed(123)
    mha = MultiHeadAttention(3, 2, 6, 0.0, num_heads=2)
    out = mha(batch())
    assert out.shape == (2, 6, 2)
    assert out[0, 0].tolist() == pytest.approx([0.3190, 0.4858], abs=1e-4)
    assert out[0, 5].tolist() == pytest.approx([0.2575, 0.4028], abs=1e-4)
    assert mha.last_weights.shape == (2, 2, 6, 6)


def test_mha_one_head_equals_causal_plus_out_proj():
    torch.manual_seed(3)
    mha = MultiHeadAttention(4, 6, 8, 0.0, num_heads=1)
    ca = CausalAttention(4, 6, 8, 0.0)
    ca.load_state_dict({k: v for k, v in mha.state_dict().items() if not k.startswith("out_proj")})
    x = torch.randn(2, 5, 4)
    assert torch.allclose(mha(x), mha.out_proj(ca(x)), atol=ATOL)
    assert torch.allclose(mha.last_weights[:, 0], ca.last_weights, atol=ATOL)


def test_wrapper_equals_mha_without_out_proj():
    torch.manual_seed(4)
    heads, d_head = 3, 2
    wrap = MultiHeadAttentionWrapper(5, d_head, 8, 0.0, num_heads=heads)
    mha = MultiHeadAttention(5, d_head * heads, 8, 0.0, num_heads=heads)
    with torch.no_grad():
        for name in ("W_query", "W_key", "W_value"):
            getattr(mha, name).weight.copy_(torch.cat([getattr(h, name).weight for h in wrap.heads], dim=0))
    mha.out_proj = nn.Identity()
    x = torch.randn(2, 6, 5)
    assert torch.allclose(wrap(x), mha(x), atol=ATOL)
    assert torch.allclose(wrap.last_weights, mha.last_weights, atol=ATOL)


@pytest.mark.parametrize("bias", [False, True])
def test_mha_equals_torch_multihead_attention(bias):
    torch.manual_seed(5)
    d, heads, n = 8, 2, 6
    mha = MultiHeadAttention(d, d, 10, 0.0, num_heads=heads, qkv_bias=bias)
    ref = nn.MultiheadAttention(d, heads, bias=True, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([mha.W_query.weight, mha.W_key.weight, mha.W_value.weight]))
        if bias:
            ref.in_proj_bias.copy_(torch.cat([mha.W_query.bias, mha.W_key.bias, mha.W_value.bias]))
        else:
            ref.in_proj_bias.zero_()
        ref.out_proj.weight.copy_(mha.out_proj.weight)
        ref.out_proj.bias.copy_(mha.out_proj.bias)
    x = torch.randn(3, n, d)
    out_ref, w_ref = ref(x, x, x, attn_mask=causal_mask(n), need_weights=True, average_attn_weights=False)
    assert torch.allclose(mha(x), out_ref, atol=ATOL)
    assert torch.allclose(mha.last_weights, w_ref, atol=ATOL)


def test_mha_fused_path_equals_explicit():
    torch.manual_seed(6)
    mha = MultiHeadAttention(6, 12, 16, 0.0, num_heads=4)
    x = torch.randn(2, 9, 6)
    slow = mha(x)
    assert mha.last_weights is not None
    mha.keep_weights = False
    fast = mha(x)
    assert mha.last_weights is None
    assert torch.allclose(slow, fast, atol=ATOL)


def test_mha_dropout_eval_identity():
    torch.manual_seed(7)
    mha = MultiHeadAttention(4, 4, 8, 0.3, num_heads=2).eval()
    x = torch.randn(1, 5, 4)
    a = mha(x)
    mha.dropout.p = 0.0
    assert torch.allclose(a, mha(x), atol=ATOL)


def test_gradients_flow():
    torch.manual_seed(8)
    mha = MultiHeadAttention(4, 4, 8, 0.0, num_heads=2)
    mha(torch.randn(2, 5, 4)).sum().backward()
    assert all(p.grad is not None for p in mha.parameters())


# --- błędy po polsku -----------------------------------------------------------------------------

def test_missing_batch_dimension_message():
    ca = CausalAttention(3, 2, 6, 0.0)
    with pytest.raises(KursError) as err:
        ca(example_inputs())
    msg = str(err.value)
    assert "(batch, tokeny, 3)" in msg and "(6, 3)" in msg and "unsqueeze(0)" in msg


@pytest.mark.parametrize("cls", [CausalAttention, MultiHeadAttention, MultiHeadAttentionWrapper])
def test_errors_batched_modules(cls):
    kwargs = dict(num_heads=2) if cls is not CausalAttention else {}
    m = cls(3, 2, 6, 0.0, **kwargs)
    with pytest.raises(KursError, match="ostatni wymiar"):
        m(torch.ones(1, 4, 5))
    with pytest.raises(KursError, match="context_length=6"):
        m(torch.ones(1, 7, 3))
    with pytest.raises(KursError, match="co najmniej jednego tokenu"):
        m(torch.ones(1, 0, 3))
    with pytest.raises(KursError, match="x.float"):
        m(torch.ones(1, 4, 3, dtype=torch.long))
    with pytest.raises(KursTypeError, match="tensorem"):
        m([[1.0, 2.0, 3.0]])
    for p in (-0.1, 1.0, 1.5):
        with pytest.raises(KursError, match=r"\[0, 1\)"):
            cls(3, 2, 6, p, **kwargs)
    with pytest.raises(KursError, match="context_length"):
        cls(3, 2, 0, 0.0, **kwargs)


def test_errors_heads():
    with pytest.raises(KursError, match="num_heads"):
        MultiHeadAttention(3, 4, 6, 0.0, num_heads=0)
    with pytest.raises(KursError, match="num_heads"):
        MultiHeadAttentionWrapper(3, 4, 6, 0.0, num_heads=0)
    with pytest.raises(KursError, match="podzielne"):
        MultiHeadAttention(3, 5, 6, 0.0, num_heads=2)


def test_errors_unbatched_modules():
    for cls in (SelfAttentionV1, SelfAttentionV2):
        m = cls(3, 2)
        with pytest.raises(KursError, match=r"\(tokeny, 3\).*x\[0\]"):
            m(batch())
        with pytest.raises(KursError, match="d_in=3"):
            m(torch.ones(4, 2))
        with pytest.raises(KursError, match="d_out"):
            cls(3, 0)


# --- sentence_vectors -------------------------------------------------------------------------------

def test_sentence_vectors_words_deterministic():
    labels, vecs = sentence_vectors("Kot śpi, a kot je.", dim=4, tokenizer="words")
    assert list(labels) == ["Kot", "śpi", ",", "a", "kot", "je", "."]
    assert vecs.shape == (7, 4)
    labels2, vecs2 = sentence_vectors("kot", dim=4, tokenizer="words")
    assert torch.equal(vecs2[0], vecs[4])  # to samo słowo, ten sam wektor
    assert not torch.equal(vecs[0], vecs[4])  # „Kot” ≠ „kot”
    _, other_seed = sentence_vectors("kot", dim=4, seed=1, tokenizer="words")
    assert not torch.equal(other_seed, vecs2)
    assert labels.note is None
    assert torch.equal(vecs, vecs.round(decimals=2))


def test_sentence_vectors_odd_input():
    labels, vecs = sentence_vectors("🙂 Zażółć gęślą jaźń ∑", tokenizer="words")
    assert len(labels) == vecs.shape[0] >= 4
    labels, vecs = sentence_vectors("słowo " * 100_000)
    assert len(labels) == MAX_SENTENCE_TOKENS == vecs.shape[0]
    assert "pokazuję pierwsze 40" in labels.note
    with pytest.raises(KursError, match="Wpisz zdanie"):
        sentence_vectors("   ")
    with pytest.raises(KursTypeError):
        sentence_vectors(None)
    with pytest.raises(KursError, match="dim"):
        sentence_vectors("kot", dim=0)
    one, v1 = sentence_vectors("kot")
    assert v1.shape[0] == len(one) >= 1
