"""Ćwiczenia rozdziału 8: rozwiązania z notatnika przechodzą, typowe błędy – nie."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from llmkurs.attention import MultiHeadAttention
from llmkurs.exercises import ch08


def test_check_1_shape():
    # Niezależnie: kształt z prawdziwego tensora.
    q = torch.zeros(2, 5, 12).view(2, 5, 3, 4).transpose(1, 2)
    assert ch08.check_1(tuple(q.shape)).ok
    assert ch08.check_1(q.shape).ok
    assert ch08.check_1([2, 3, 5, 4]).ok
    fb = ch08.check_1((2, 5, 3, 4))
    assert not fb.ok and "transpose" in fb.message
    fb = ch08.check_1((2, 3, 5, 12))
    assert not fb.ok and "head_dim" in fb.message
    assert not ch08.check_1((2, 5, 12)).ok
    assert not ch08.check_1(None).ok
    assert not ch08.check_1("abc").ok


def test_check_2_split_heads():
    def solution(x, num_heads):
        b, n, d_out = x.shape
        return x.view(b, n, num_heads, d_out // num_heads).transpose(1, 2)

    def wrong_view(x, num_heads):
        b, n, d_out = x.shape
        return x.view(b, num_heads, n, d_out // num_heads)

    def no_transpose(x, num_heads):
        b, n, d_out = x.shape
        return x.view(b, n, num_heads, d_out // num_heads)

    assert ch08.check_2(solution).ok
    assert ch08.check_2(lambda x, h: x.reshape(x.shape[0], x.shape[1], h, -1).permute(0, 2, 1, 3)).ok
    fb = ch08.check_2(wrong_view)
    assert not fb.ok and "miesza" in fb.message
    assert not ch08.check_2(no_transpose).ok
    assert not ch08.check_2(lambda x, h: 1 / 0).ok
    assert not ch08.check_2(None).ok


def test_check_3_parameter_count():
    mha = MultiHeadAttention(768, 768, 8, 0.0, num_heads=12)
    assert ch08.check_3(sum(p.numel() for p in mha.parameters())).ok
    assert not ch08.check_3(4 * 768 * 768).ok
    assert not ch08.check_3(3 * 768 * 768).ok
    assert not ch08.check_3(12 * ch08.PARAMS_GPT2_SMALL).ok
    assert not ch08.check_3(None).ok
    assert not ch08.check_3(2.5).ok


def test_check_4_sdpa_mask():
    allowed = torch.tril(torch.ones(5, 5, dtype=torch.bool))
    # Niezależnie: ta maska daje w SDPA to samo co is_causal=True.
    q, k, v = torch.rand(3, 1, 5, 4).unbind(0)
    assert torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=allowed),
                          F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6)
    assert ch08.check_4(allowed).ok
    fb = ch08.check_4(~allowed)
    assert not fb.ok and "nn.MultiheadAttention" in fb.message
    assert not ch08.check_4(allowed.float()).ok
    assert not ch08.check_4(torch.tril(torch.ones(5, 5, dtype=torch.bool), diagonal=-1)).ok
    assert not ch08.check_4(torch.tril(torch.ones(4, 4, dtype=torch.bool))).ok
    assert not ch08.check_4(None).ok



def test_check_3_mentions_real_gpt2():
    assert "2 362 368" in ch08.check_3(2_360_064).message
    fb = ch08.check_3(2_362_368)
    assert not fb.ok and "qkv_bias" in fb.message
    from llmkurs.attention import MultiHeadAttention
    real = MultiHeadAttention(768, 768, 8, 0.0, num_heads=12, qkv_bias=True)
    assert sum(p.numel() for p in real.parameters()) == 2_362_368      # niezależnie: prawdziwy moduł


def test_check_5_heads_cost_the_same():
    from llmkurs.attention import MultiHeadAttention
    n1 = sum(p.numel() for p in MultiHeadAttention(512, 512, 8, 0.0, num_heads=1).parameters())
    n8 = sum(p.numel() for p in MultiHeadAttention(512, 512, 8, 0.0, num_heads=8).parameters())
    assert n1 == n8
    assert ch08.check_5(n8).ok
    assert not ch08.check_5(8 * n8).ok and not ch08.check_5(None).ok and not ch08.check_5("x").ok


def test_check_6_fourth_head_split():
    x = torch.arange(12.0).view(1, 3, 4)
    heads = x.view(1, 3, 4, 1).transpose(1, 2)
    assert ch08.check_6(heads[0, 2]).ok
    assert ch08.check_6([2, 6, 10]).ok
    fb = ch08.check_6(x.view(1, 4, 3, 1)[0, 2] + 2)    # błędne view: liczby jednego tokenu [8, 9, 10]
    assert not fb.ok and "transpose" in fb.message
    assert not ch08.check_6(heads[0, 1]).ok and not ch08.check_6(None).ok
