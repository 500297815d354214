"""Pomiar szybkości uwagi wielogłowej (rozdział 8) na CPU.

Kształt: batch 8 × 256 tokenów × szerokość 512, 8 głów (head_dim 64), uwaga przyczynowa,
bez dropoutu, tryb ewaluacji, ``torch.no_grad()``. Liczba wątków torch bez zmian.

Mierzymy jeden przebieg ``forward`` (mediana ``--rounds`` rund po rozgrzewce; w każdej rundzie
wszystkie warianty po kolei, żeby chwilowe obciążenie maszyny rozłożyło się na nie równo):

- ``MultiHeadAttentionWrapper(512, 64, ..., num_heads=8)`` – lista 8 głów po 64 (razem 512),
- ``MultiHeadAttention`` z ``keep_weights=True`` (domyślnie; zapisuje wagi) i ``False``
  (połączona funkcja PyTorch),
- ``torch.nn.MultiheadAttention`` z ``need_weights=False`` i ``True`` (domyślnie), maska
  przyczynowa jako ``attn_mask`` (z podpowiedzią ``is_causal=True``),
- odniesienie: ``F.scaled_dot_product_attention(q, k, v, is_causal=True)`` na **gotowych**
  (już rzutowanych) ``q, k, v`` o kształcie ``(8, 8, 256, 64)`` – bez projekcji Q/K/V i bez
  ``out_proj``, czyli dolna granica dla samego mechanizmu uwagi.

Każdy czas drukujemy też jako wielokrotność odniesienia. Cel: ``MultiHeadAttention`` w ciągu
1,2× od ``torch.nn.MultiheadAttention``. Porównujemy konfiguracje domyślne (obie zapisują /
zwracają wagi: ``keep_weights=True`` i ``need_weights=True``) oraz szybkie (``keep_weights=False``
i ``need_weights=False``). Ostatnia linia: stosunek dla konfiguracji domyślnych.

Z ``--diagnose`` dodatkowo mierzymy warianty ścieżki ``keep_weights=True`` (``torch.softmax``
zamiast softmaksu kursu, ``masked_fill_`` w miejscu zamiast kopii, skalowanie zapytań przed
mnożeniem, gotowa maska logiczna), żeby wskazać, skąd bierze się różnica.

Użycie: ``python bench/attention.py [--rounds 9] [--diagnose]``.
"""

from __future__ import annotations

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from llmkurs.attention import MultiHeadAttention, MultiHeadAttentionWrapper
from llmkurs.widgets.ch08 import compare_times

B, N, D, H = 8, 256, 512, 8


class _TorchSoftmaxMHA(MultiHeadAttention):
    """Ścieżka z wagami jak w bibliotece, ale z wariantami do diagnozy (tylko w tym pomiarze)."""

    def __init__(self, *args, torch_softmax=True, prescale=False, bool_mask=False, inplace=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.torch_softmax, self.prescale, self.bool_mask, self.inplace = torch_softmax, prescale, bool_mask, inplace
        self.register_buffer("mask_bool", self.mask.bool(), persistent=False)

    def forward(self, x):
        b, n, _ = x.shape
        q = self.W_query(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.W_key(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.W_value(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        scale = self.head_dim ** -0.5
        if self.prescale:
            q = q * scale
        scores = q @ k.transpose(2, 3)
        mask = self.mask_bool[:n, :n] if self.bool_mask else self.mask.bool()[:n, :n]
        scores = scores.masked_fill_(mask, -torch.inf) if self.inplace else scores.masked_fill(mask, -torch.inf)
        if not self.prescale:
            scores = scores.mul_(scale) if self.inplace else scores * scale
        if self.torch_softmax:
            w = torch.softmax(scores, dim=-1)
        else:
            m = scores.amax(dim=-1, keepdim=True)
            e = torch.exp(scores - m)
            w = e / e.sum(dim=-1, keepdim=True)
        w = self.dropout(w)
        self.last_weights = w.detach()
        ctx = (w @ v).transpose(1, 2).contiguous().view(b, n, self.d_out)
        return self.out_proj(ctx)


def build(seed: int = 0):
    torch.manual_seed(seed)
    x = torch.randn(B, N, D)
    wrapper = MultiHeadAttentionWrapper(D, D // H, N, 0.0, num_heads=H).eval()
    ours = MultiHeadAttention(D, D, N, 0.0, num_heads=H).eval()
    ours_fast = MultiHeadAttention(D, D, N, 0.0, num_heads=H).eval()
    ours_fast.load_state_dict(ours.state_dict())
    ours_fast.keep_weights = False
    ref = nn.MultiheadAttention(D, H, dropout=0.0, bias=True, batch_first=True).eval()
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([ours.W_query.weight, ours.W_key.weight, ours.W_value.weight]))
        ref.in_proj_bias.zero_()
        ref.out_proj.load_state_dict(ours.out_proj.state_dict())
    mask = torch.triu(torch.ones(N, N, dtype=torch.bool), diagonal=1)
    q, k, v = (torch.randn(B, H, N, D // H) for _ in range(3))
    variants = {
        "F.scaled_dot_product_attention (gotowe q,k,v; odniesienie)": lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True),
        "MultiHeadAttentionWrapper (8 głów × 64)": lambda: wrapper(x),
        "MultiHeadAttention keep_weights=True": lambda: ours(x),
        "MultiHeadAttention keep_weights=False": lambda: ours_fast(x),
        "nn.MultiheadAttention need_weights=True": lambda: ref(x, x, x, attn_mask=mask, is_causal=True, need_weights=True),
        "nn.MultiheadAttention need_weights=False": lambda: ref(x, x, x, attn_mask=mask, is_causal=True, need_weights=False),
    }
    with torch.no_grad():  # sanity: wszystkie liczą to samo
        out = ours(x)
        assert (out - ours_fast(x)).abs().max() < 1e-5
        assert (out - ref(x, x, x, attn_mask=mask, need_weights=False)[0]).abs().max() < 1e-5
    return x, ours, variants


def diagnose_variants(x, ours):
    out = {}
    for name, kw in [
        ("diag: softmax kursu (amax, exp, sum), maska .bool() co wywołanie", dict(torch_softmax=False)),
        ("diag: torch.softmax", dict(torch_softmax=True)),
        ("diag: torch.softmax + gotowa maska bool", dict(torch_softmax=True, bool_mask=True)),
        ("diag: torch.softmax + maska bool + skalowane q", dict(torch_softmax=True, bool_mask=True, prescale=True)),
        ("diag: torch.softmax + masked_fill_ w miejscu", dict(torch_softmax=True, inplace=True)),
        ("diag: wszystko: torch.softmax, w miejscu, maska bool, skal. q", dict(torch_softmax=True, inplace=True, bool_mask=True, prescale=True)),
    ]:
        m = _TorchSoftmaxMHA(D, D, N, 0.0, num_heads=H, **kw).eval()
        m.load_state_dict(ours.state_dict(), strict=False)
        with torch.no_grad():
            assert (m(x) - ours(x)).abs().max() < 1e-5
        out[name] = (lambda mod: (lambda: mod(x)))(m)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--diagnose", action="store_true")
    args = parser.parse_args()

    x, ours, variants = build()
    if args.diagnose:
        variants.update(diagnose_variants(x, ours))
    med = compare_times(variants, repeats=args.rounds, warmup=2)
    base_name = next(iter(variants))
    base = med[base_name]
    print(f"torch {torch.__version__}, wątki: {torch.get_num_threads()}, kształt: batch {B} × {N} tokenów × {D}, {H} głów")
    print(f"mediana {args.rounds} rund po rozgrzewce, forward pod torch.no_grad(), tryb eval")
    print(f"odniesienie = {base_name}: bez projekcji Q/K/V i out_proj")
    for name, t in med.items():
        print(f"  {name:66s} {t * 1000:8.2f} ms  {t / base:6.2f}× odniesienia")
    fast = med["MultiHeadAttention keep_weights=False"] / med["nn.MultiheadAttention need_weights=False"]
    print(f"szybkie ścieżki: MultiHeadAttention(keep_weights=False) / nn.MultiheadAttention(need_weights=False) = {fast:.2f}")
    default = med["MultiHeadAttention keep_weights=True"] / med["nn.MultiheadAttention need_weights=True"]
    print(f"MultiHeadAttention / nn.MultiheadAttention (domyślne: keep_weights=True, need_weights=True; cel ≤ 1.2): {default:.2f}")


if __name__ == "__main__":
    main()
