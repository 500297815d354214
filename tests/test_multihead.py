"""Wiele głów uwagi (rozdział 8): równość z niezależnymi implementacjami PyTorch.

- lista głów (``MultiHeadAttentionWrapper``) == ``MultiHeadAttention`` z przepisanymi wagami,
- ``MultiHeadAttention`` == ``torch.nn.MultiheadAttention`` (``in_proj_weight`` = cat(Wq, Wk, Wv),
  ``out_proj`` skopiowany, przyczynowa ``attn_mask``, ``batch_first=True``),
- ``MultiHeadAttention`` == ``F.scaled_dot_product_attention(is_causal=True)`` + projekcje,
- ``keep_weights=False`` == ``keep_weights=True``,

wszystko z dokładnością 1e-6 na wielu kształtach (hypothesis), plus liczby z książki.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from llmkurs.attention import MultiHeadAttention, MultiHeadAttentionWrapper, example_inputs
from llmkurs.errors import KursError

ATOL = 1e-6
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True)

shapes = st.tuples(
    st.integers(1, 3),   # batch
    st.integers(1, 9),   # tokeny
    st.integers(1, 8),   # d_in
    st.integers(1, 4),   # głowy
    st.integers(1, 8),   # head_dim
    st.integers(0, 10_000),  # ziarno
)


def _copy_wrapper_into_mha(wrapper: MultiHeadAttentionWrapper, mha: MultiHeadAttention) -> None:
    with torch.no_grad():
        for name in ("W_query", "W_key", "W_value"):
            getattr(mha, name).weight.copy_(torch.cat([getattr(h, name).weight for h in wrapper.heads], dim=0))
        mha.out_proj.weight.copy_(torch.eye(mha.d_out))
        mha.out_proj.bias.zero_()


def _torch_mha_from(ours: MultiHeadAttention) -> nn.MultiheadAttention:
    ref = nn.MultiheadAttention(ours.d_out, ours.num_heads, dropout=0.0, bias=True, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([ours.W_query.weight, ours.W_key.weight, ours.W_value.weight], dim=0))
        ref.in_proj_bias.zero_()
        ref.out_proj.weight.copy_(ours.out_proj.weight)
        ref.out_proj.bias.copy_(ours.out_proj.bias)
    return ref.eval()


def _future(n: int) -> torch.Tensor:
    return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)


@SETTINGS
@given(shapes)
def test_wrapper_equals_multihead_with_copied_weights(shape):
    b, n, d_in, h, hd, seed = shape
    torch.manual_seed(seed)
    wrapper = MultiHeadAttentionWrapper(d_in, hd, n, 0.0, num_heads=h)
    mha = MultiHeadAttention(d_in, h * hd, n, 0.0, num_heads=h)
    _copy_wrapper_into_mha(wrapper, mha)
    x = torch.rand(b, n, d_in)
    with torch.no_grad():
        out_w, out_m = wrapper(x), mha(x)
    assert out_w.shape == out_m.shape == (b, n, h * hd)
    assert (out_w - out_m).abs().max() < ATOL
    assert torch.allclose(wrapper.last_weights, mha.last_weights, atol=ATOL)


@SETTINGS
@given(shapes)
def test_multihead_equals_torch_multiheadattention(shape):
    b, n, _, h, hd, seed = shape
    d = h * hd
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d, d, n, 0.0, num_heads=h).eval()
    ref = _torch_mha_from(ours)
    x = torch.rand(b, n, d)
    with torch.no_grad():
        out = ours(x)
        ref_out, ref_w = ref(x, x, x, attn_mask=_future(n), need_weights=True, average_attn_weights=False)
        ref_fast, _ = ref(x, x, x, attn_mask=_future(n), need_weights=False)
    assert (out - ref_out).abs().max() < ATOL
    assert (out - ref_fast).abs().max() < ATOL
    assert (ours.last_weights - ref_w).abs().max() < ATOL


@SETTINGS
@given(shapes)
def test_multihead_equals_scaled_dot_product_attention(shape):
    b, n, d_in, h, hd, seed = shape
    d = h * hd
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_in, d, n, 0.0, num_heads=h).eval()
    x = torch.rand(b, n, d_in)

    def heads(t):
        return t.view(b, n, h, hd).transpose(1, 2)

    with torch.no_grad():
        ctx = F.scaled_dot_product_attention(heads(ours.W_query(x)), heads(ours.W_key(x)), heads(ours.W_value(x)), is_causal=True)
        ref = ours.out_proj(ctx.transpose(1, 2).reshape(b, n, d))
        out = ours(x)
    assert (out - ref).abs().max() < ATOL


@SETTINGS
@given(shapes, st.booleans())
def test_keep_weights_false_equals_true(shape, qkv_bias):
    b, n, d_in, h, hd, seed = shape
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_in, h * hd, n, 0.0, num_heads=h, qkv_bias=qkv_bias).eval()
    x = torch.rand(b, n, d_in)
    with torch.no_grad():
        slow = ours(x)
        assert ours.last_weights is not None and ours.last_weights.shape == (b, h, n, n)
        ours.keep_weights = False
        fast = ours(x)
    assert ours.last_weights is None
    assert (slow - fast).abs().max() < ATOL


def test_weights_rows_sum_to_one_and_hide_the_future():
    torch.manual_seed(5)
    mha = MultiHeadAttention(4, 8, 7, 0.0, num_heads=4)
    mha(torch.rand(2, 7, 4))
    w = mha.last_weights
    assert torch.allclose(w.sum(dim=-1), torch.ones(2, 4, 7), atol=1e-6)
    assert torch.all(w.masked_select(_future(7)) == 0)


def test_shorter_input_uses_corner_of_mask_and_longer_is_a_polish_error():
    torch.manual_seed(1)
    mha = MultiHeadAttention(3, 4, 6, 0.0, num_heads=2)
    x = torch.rand(1, 6, 3)
    with torch.no_grad():
        full = mha(x)
        short = mha(x[:, :4])
    # Przyczynowość: pierwsze 4 tokeny nie zależą od tokenów 5–6.
    assert torch.allclose(full[:, :4], short, atol=1e-6)
    with pytest.raises(KursError, match="context_length"):
        mha(torch.rand(1, 7, 3))


def test_d_out_not_divisible_by_heads_is_a_polish_error():
    with pytest.raises(KursError, match="podzielne"):
        MultiHeadAttention(3, 10, 6, 0.0, num_heads=4)


def test_book_numbers_wrapper_and_multihead():
    """Liczby z rozdziału 3 książki (ziarno 123, d_out=2, dwie głowy, batch z dwóch kopii)."""
    inputs = example_inputs()
    batch = torch.stack((inputs, inputs), dim=0)
    torch.manual_seed(123)
    wrapper = MultiHeadAttentionWrapper(3, 2, 6, 0.0, num_heads=2)
    out = wrapper(batch)
    assert out.shape == (2, 6, 4)
    book_wrapper_first_rows = torch.tensor([[-0.4519, 0.2216, 0.4772, 0.1063],
                                            [-0.5874, 0.0058, 0.5891, 0.3257]])
    assert torch.allclose(out[0, :2], book_wrapper_first_rows, atol=1e-4)
    torch.manual_seed(123)
    mha = MultiHeadAttention(3, 2, 6, 0.0, num_heads=2)
    out = mha(batch)
    assert out.shape == (2, 6, 2)
    book_mha = torch.tensor([[0.3190, 0.4858], [0.2943, 0.3897], [0.2856, 0.3593],
                             [0.2693, 0.3873], [0.2639, 0.3928], [0.2575, 0.4028]])
    assert torch.allclose(out[0], book_mha, atol=1e-4)
    assert torch.allclose(out[1], book_mha, atol=1e-4)


def test_parameter_count_of_gpt2_small_attention_matches_formula():
    from llmkurs.exercises.ch08 import PARAMS_GPT2_SMALL

    mha = MultiHeadAttention(768, 768, 16, 0.0, num_heads=12)
    assert sum(p.numel() for p in mha.parameters()) == PARAMS_GPT2_SMALL == 2_360_064
