"""Testy małego GPT (rozdział 9): klocki, liczba parametrów, generowanie, zapis, wytrenowany model."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from llmkurs.errors import KursError, KursTypeError
from llmkurs.model import (
    GELU,
    GPT_CONFIG_124M,
    MINI_GPT_DIR,
    FeedForward,
    GPTConfig,
    GPTModel,
    LayerNorm,
    TransformerBlock,
    count_parameters,
    generate,
    load_mini_gpt,
    load_model,
    load_training_log,
    next_token_probs,
    parameter_formula,
    save_model,
    text_loss,
    text_to_token_ids,
    train_steps,
)

SMALL = GPTConfig(vocab_size=97, context_length=16, emb_dim=32, n_heads=4, n_layers=2, drop_rate=0.1)

POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def small_model(seed: int = 0, cfg: GPTConfig = SMALL) -> GPTModel:
    torch.manual_seed(seed)
    model = GPTModel(cfg)
    model.eval()
    return model


def polish(err) -> bool:
    return any(ch in POLISH for ch in str(err.value))


# --------------------------------------------------------------------------- klocki


def test_layernorm_matches_torch():
    torch.manual_seed(1)
    x = torch.randn(3, 5, 32) * 4 + 2
    ln = LayerNorm(32)
    with torch.no_grad():
        ln.scale.uniform_(0.5, 1.5)
        ln.shift.uniform_(-1, 1)
    expected = F.layer_norm(x, (32,), ln.scale, ln.shift, eps=1e-5)
    assert torch.allclose(ln(x), expected, atol=1e-5)


def test_layernorm_book_example():
    # Książka, rozdział 4: torch.manual_seed(123), batch_example = torch.randn(2, 5), Linear(5, 6) + ReLU.
    torch.manual_seed(123)
    batch = torch.randn(2, 5)
    layer = torch.nn.Sequential(torch.nn.Linear(5, 6), torch.nn.ReLU())
    out = layer(batch)
    expected = torch.tensor([[0.2260, 0.3470, 0.0000, 0.2216, 0.0000, 0.0000],
                             [0.2133, 0.2394, 0.0000, 0.5198, 0.3297, 0.0000]])
    assert torch.allclose(out, expected, atol=1e-4)
    normed = LayerNorm(6)(out)
    assert torch.allclose(normed.mean(dim=-1), torch.zeros(2), atol=1e-5)
    assert torch.allclose(normed.var(dim=-1, unbiased=False), torch.ones(2), atol=1e-3)


def test_gelu_matches_torch_tanh_approximation():
    x = torch.linspace(-6, 6, 301)
    assert torch.allclose(GELU()(x), F.gelu(x, approximate="tanh"), atol=1e-6)
    # wartości policzone ręcznie: GELU(0) = 0, GELU(x) ≈ x dla dużych x, GELU(−x) ≈ 0
    assert GELU()(torch.tensor(0.0)).item() == 0.0
    assert abs(GELU()(torch.tensor(10.0)).item() - 10.0) < 1e-6


def test_feedforward_and_block_keep_shape():
    torch.manual_seed(0)
    x = torch.rand(2, 7, SMALL.emb_dim)
    ff = FeedForward(SMALL)
    assert ff(x).shape == x.shape
    assert ff.layers[0].weight.shape == (4 * SMALL.emb_dim, SMALL.emb_dim)
    block = TransformerBlock(SMALL).eval()
    assert block(x).shape == x.shape


def test_block_is_residual_with_ln_before_each_part():
    torch.manual_seed(0)
    block = TransformerBlock(SMALL).eval()
    x = torch.rand(1, 5, SMALL.emb_dim)
    h = x + block.att(block.norm1(x))
    expected = h + block.ff(block.norm2(h))
    assert torch.allclose(block(x), expected, atol=1e-6)


def test_model_output_shape_and_dict_config():
    model = small_model()
    ids = torch.randint(0, SMALL.vocab_size, (3, 11))
    assert model(ids).shape == (3, 11, SMALL.vocab_size)
    # słownik jak GPT_CONFIG_124M z książki też działa
    torch.manual_seed(0)
    model2 = GPTModel(SMALL.to_dict()).eval()
    assert torch.equal(model2(ids), model(ids))


def test_model_is_causal():
    model = small_model()
    ids = torch.randint(0, SMALL.vocab_size, (1, 10))
    changed = ids.clone()
    changed[0, 6:] = (changed[0, 6:] + 1) % SMALL.vocab_size
    a, b = model(ids), model(changed)
    assert torch.allclose(a[:, :6], b[:, :6], atol=1e-5)
    assert not torch.allclose(a[:, 6:], b[:, 6:], atol=1e-3)


def test_attention_weights_per_layer():
    model = small_model()
    model.set_keep_weights(True)
    model(torch.randint(0, SMALL.vocab_size, (1, 6)))
    weights = model.attention_weights()
    assert len(weights) == SMALL.n_layers
    for w in weights:
        assert w.shape == (1, SMALL.n_heads, 6, 6)
        assert torch.allclose(w.sum(-1), torch.ones(1, SMALL.n_heads, 6), atol=1e-5)
        assert torch.all(torch.triu(w[0, 0], diagonal=1) == 0)


# --------------------------------------------------------------------------- liczba parametrów


def hand_count(v, c, d, n_layers, qkv_bias=False, tied=False):
    """Liczba parametrów policzona w teście od nowa, warstwa po warstwie."""
    linear = lambda i, o, bias=True: i * o + (o if bias else 0)  # noqa: E731
    block = 3 * linear(d, d, qkv_bias) + linear(d, d) + linear(d, 4 * d) + linear(4 * d, d) + 2 * (2 * d)
    return v * d + c * d + n_layers * block + 2 * d + (0 if tied else linear(d, v, False))


@pytest.mark.parametrize("cfg", [
    SMALL,
    GPTConfig(vocab_size=50, context_length=8, emb_dim=12, n_heads=3, n_layers=3, qkv_bias=True),
    GPTConfig(vocab_size=4096, context_length=64, emb_dim=64, n_heads=2, n_layers=1),
])
def test_parameter_count_equals_formula(cfg):
    torch.manual_seed(0)
    model = GPTModel(cfg)
    expected = hand_count(cfg.vocab_size, cfg.context_length, cfg.emb_dim, cfg.n_layers, cfg.qkv_bias)
    assert count_parameters(model) == expected
    assert parameter_formula(cfg)["razem"] == expected
    assert parameter_formula(cfg, tied=True)["razem"] == expected - cfg.emb_dim * cfg.vocab_size


def test_gpt2_124m_parameter_count_from_the_book():
    parts = parameter_formula(GPT_CONFIG_124M)
    assert parts["razem"] == 163_009_536  # liczba z książki (rozdział 4)
    assert parts["razem"] - parts["warstwa wyjściowa"] == 124_412_160  # z tied weights, jak GPT-2
    assert hand_count(50257, 1024, 768, 12) == 163_009_536
    # model na urządzeniu „meta”: kształty bez pamięci na wartości
    with torch.device("meta"):
        model = GPTModel(GPT_CONFIG_124M)
    assert count_parameters(model) == 163_009_536


# --------------------------------------------------------------------------- generowanie


def manual_greedy(model, ids, steps, context_size):
    out = ids.clone()
    with torch.no_grad():
        for _ in range(steps):
            logits = model(out[:, -context_size:])[:, -1, :]
            out = torch.cat([out, logits.argmax(-1, keepdim=True)], dim=1)
    return out


def test_greedy_is_deterministic_and_equals_argmax_loop():
    model = small_model(3)
    ids = torch.tensor([[5, 17, 42], [1, 2, 3]])
    a = generate(model, ids, 25, SMALL.context_length, temperature=0.0)
    b = generate(model, ids, 25, SMALL.context_length, temperature=0.0)
    assert a.shape == (2, 28)
    assert torch.equal(a, b)
    assert torch.equal(a[:, :3], ids)
    assert torch.equal(a, manual_greedy(model, ids, 25, SMALL.context_length))


def test_greedy_ignores_dropout_even_in_train_mode():
    model = small_model(3)
    model.train()
    ids = torch.tensor([[5, 17, 42]])
    a = generate(model, ids, 10, 8)
    b = generate(model, ids, 10, 8)
    assert torch.equal(a, b)
    assert model.training  # tryb przywrócony


@pytest.mark.parametrize("temperature", [0.1, 1.0, 3.0, 50.0])
def test_top_k_one_equals_greedy(temperature):
    model = small_model(4)
    ids = torch.tensor([[7, 8, 9, 10]])
    greedy = generate(model, ids, 15, 8, temperature=0.0)
    gen = torch.Generator().manual_seed(0)
    sampled = generate(model, ids, 15, 8, temperature=temperature, top_k=1, generator=gen)
    assert torch.equal(sampled, greedy)


def test_sampling_is_seeded_and_stays_in_top_k():
    model = small_model(5)
    ids = torch.tensor([[3, 1, 4, 1, 5]])
    out1 = generate(model, ids, 20, 16, temperature=2.0, top_k=3, generator=torch.Generator().manual_seed(7))
    out2 = generate(model, ids, 20, 16, temperature=2.0, top_k=3, generator=torch.Generator().manual_seed(7))
    assert torch.equal(out1, out2)
    greedy = generate(model, ids, 20, 16)
    assert not torch.equal(out1, greedy)  # przy wysokiej temperaturze losowanie odchodzi od argmax
    with torch.no_grad():
        for t in range(ids.shape[1], out1.shape[1]):
            logits = model(out1[:, max(0, t - 16):t])[0, -1]
            top3 = set(torch.topk(logits, 3).indices.tolist())
            assert int(out1[0, t]) in top3


def test_sampling_frequencies_follow_softmax_with_temperature():
    model = small_model(6)
    ids = torch.tensor([[10, 20]])
    with torch.no_grad():
        logits = model(ids)[0, -1]
    expected = torch.softmax(logits / 0.7, dim=-1)
    probs = next_token_probs(model, ids, temperature=0.7)[0]
    assert torch.allclose(probs, expected, atol=1e-6)
    gen = torch.Generator().manual_seed(0)
    draws = generate(model, ids.repeat(4000, 1), 1, 16, temperature=0.7, generator=gen)[:, -1]
    top = int(expected.argmax())
    freq = (draws == top).float().mean().item()
    assert abs(freq - expected[top].item()) < 0.03


def test_next_token_probs_greedy_and_top_k():
    model = small_model(6)
    ids = torch.tensor([[10, 20, 30]])
    with torch.no_grad():
        logits = model(ids)[0, -1]
    greedy = next_token_probs(model, ids, temperature=0.0)[0]
    assert greedy[logits.argmax()].item() == 1.0 and greedy.sum().item() == 1.0
    p = next_token_probs(model, ids, temperature=1.0, top_k=5)[0]
    top5 = torch.topk(logits, 5).indices
    assert torch.allclose(p[top5], torch.softmax(logits[top5], dim=-1), atol=1e-6)
    assert p.sum().item() == pytest.approx(1.0, abs=1e-6)
    assert (p > 0).sum().item() == 5


def test_bad_generation_inputs_give_polish_errors():
    model = small_model()
    ids = torch.tensor([[1, 2, 3]])
    cases = [
        dict(ids=torch.zeros((1, 0), dtype=torch.long)),          # pusty prompt
        dict(temperature=-0.5),
        dict(temperature=float("nan")),
        dict(top_k=0),
        dict(top_k=-3),
        dict(context_size=SMALL.context_length + 1),              # za długi kontekst
        dict(context_size=0),
        dict(max_new_tokens=-1),
        dict(ids=torch.tensor([1, 2, 3])),                        # brak wymiaru batcha
    ]
    for case in cases:
        kwargs = dict(ids=ids, max_new_tokens=3, context_size=8)
        kwargs.update(case)
        with pytest.raises(KursError) as err:
            generate(model, kwargs.pop("ids"), **kwargs)
        assert polish(err), case


def test_bad_model_inputs_give_polish_errors():
    model = small_model()
    for bad in [torch.zeros((1, SMALL.context_length + 1), dtype=torch.long),   # za długi tekst
                torch.tensor([[0, SMALL.vocab_size]]),                          # ID spoza słownika
                torch.tensor([[-1, 2]]),
                torch.zeros((1, 0), dtype=torch.long),
                torch.rand(1, 4)]:
        with pytest.raises(KursError) as err:
            model(bad)
        assert polish(err)
    with pytest.raises(KursTypeError):
        model([[1, 2, 3]])


class FakeTokenizer:
    def encode(self, text, allowed_special=frozenset()):
        return [ord(c) % 97 for c in text]


def test_empty_prompt_text():
    for text in ["", "   ", "\n"]:
        with pytest.raises(KursError) as err:
            text_to_token_ids(text, FakeTokenizer())
        assert polish(err)
    assert text_to_token_ids("ab", FakeTokenizer()).shape == (1, 2)


def test_config_validation():
    with pytest.raises(KursError):
        GPTConfig(emb_dim=10, n_heads=3)
    with pytest.raises(KursError):
        GPTConfig(drop_rate=1.5)
    with pytest.raises(KursError):
        GPTConfig(n_layers=0)
    with pytest.raises(KursError) as err:
        GPTConfig.from_dict({"vocab_size": 10, "emb_size": 8})
    assert "emb_size" in str(err.value)


# --------------------------------------------------------------------------- strata i trening


def test_text_loss_equals_direct_cross_entropy():
    model = small_model(2)
    torch.manual_seed(9)
    ids = torch.randint(0, SMALL.vocab_size, (50,))
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, 49, 16):
            window = ids[start:start + 17]
            logits = model(window[:-1][None])[0]
            total += sum(-torch.log_softmax(logits[i], -1)[window[i + 1]].item() for i in range(len(window) - 1))
            count += len(window) - 1
    assert count == 49
    assert text_loss(model, ids, 16) == pytest.approx(total / count, rel=1e-5)


def test_training_is_deterministic_and_lowers_loss():
    text = torch.tensor(([1, 2, 3, 4, 5, 6, 7, 8] * 40))
    held = torch.tensor(([1, 2, 3, 4, 5, 6, 7, 8] * 5))
    logs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = GPTModel(SMALL)
        logs.append(train_steps(model, text, held, steps=30, batch_size=4, context_length=8, eval_every=10,
                                seed=5, lr=1e-2))
    assert logs[0] == logs[1]
    # powtarzający się ciąg 1…8 jest w pełni przewidywalny: strata z ln 97 ≈ 4,57 spada prawie do zera
    assert logs[0]["train_loss"][0] > 0.9 * math.log(SMALL.vocab_size)
    assert logs[0]["heldout_loss"][-1] < 0.5
    assert logs[0]["train_loss"][-1] < logs[0]["train_loss"][0]


# --------------------------------------------------------------------------- zapis i odczyt


def test_save_load_roundtrip(tmp_path):
    model = small_model(8)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert not loaded.training
    ids = torch.randint(0, SMALL.vocab_size, (2, 9))
    assert torch.equal(loaded(ids), model(ids))
    assert json.loads((tmp_path / "config.json").read_text())["emb_dim"] == SMALL.emb_dim
    assert (tmp_path / "model.safetensors").read_bytes()[:8] != b"\x80\x04\x95"  # nie pickle


def test_truncated_weights_give_polish_error(tmp_path):
    save_model(small_model(), tmp_path)
    path = tmp_path / "model.safetensors"
    data = path.read_bytes()
    for cut in (len(data) // 2, 7, 0):
        path.write_bytes(data[:cut])
        with pytest.raises(KursError) as err:
            load_model(tmp_path)
        assert "uszkodzony" in str(err.value)


def test_mismatched_weights_give_polish_error(tmp_path):
    save_model(small_model(), tmp_path)
    cfg = SMALL.to_dict()
    for change in ({"emb_dim": 64}, {"n_layers": 3}, {"vocab_size": 100}):
        (tmp_path / "config.json").write_text(json.dumps({**cfg, **change}))
        with pytest.raises(KursError) as err:
            load_model(tmp_path)
        assert "nie pasuje" in str(err.value)


def test_missing_or_broken_files_give_polish_errors(tmp_path):
    with pytest.raises(KursError) as err:
        load_model(tmp_path / "nie-ma")
    assert polish(err)
    save_model(small_model(), tmp_path)
    (tmp_path / "config.json").write_text("{to nie json")
    with pytest.raises(KursError) as err:
        load_model(tmp_path)
    assert "JSON" in str(err.value)


def test_pickle_file_is_not_loaded(tmp_path):
    save_model(small_model(), tmp_path)
    torch.save(small_model().state_dict(), tmp_path / "model.safetensors")
    with pytest.raises(KursError):
        load_model(tmp_path)


# --------------------------------------------------------------------------- wytrenowany mały GPT


@pytest.fixture(scope="module")
def mini():
    return load_mini_gpt()


def test_mini_gpt_files():
    weights = MINI_GPT_DIR / "model.safetensors"
    assert weights.stat().st_size <= 25 * 1024 * 1024
    assert weights.read_bytes()[:8] != b"PK\x03\x04"  # safetensors, nie pickle/zip
    log = load_training_log()
    assert len(log["train_loss"]) == len(log["step"]) >= 100
    assert len(log["heldout_loss"]) == len(log["eval_step"]) >= 2
    assert log["config"]["context_length"] >= 128
    assert log["best_heldout_loss"] == min(log["heldout_loss"])
    assert log["best_step"] == log["eval_step"][log["heldout_loss"].index(log["best_heldout_loss"])]


def test_mini_gpt_loads_in_eval_mode(mini):
    model, tokenizer = mini
    assert not model.training
    assert tokenizer.n_vocab == model.cfg.vocab_size
    assert count_parameters(model) == parameter_formula(model.cfg, tied=model.cfg.tie_weights)["razem"]


def test_mini_gpt_heldout_loss_beats_uniform_and_unigram(mini):
    from llmkurs.corpus import load_documents

    model, tokenizer = mini
    vocab = model.cfg.vocab_size
    bos = tokenizer.special_tokens["<|endoftext|>"]
    held_docs = [[bos, *tokenizer.encode(d)] for d in load_documents("heldout")]
    ctx = model.cfg.context_length
    # strata liczona w teście od nowa: każdy token dokumentu przewidziany raz, okna co pół kontekstu
    nll, n = 0.0, 0
    with torch.no_grad():
        for doc in held_docs:
            ids = torch.tensor(doc)
            predicted = 1
            while predicted < len(doc):
                end = min(len(doc), ctx + 1 if predicted == 1 else predicted + ctx // 2)
                window = ids[max(0, end - ctx - 1):end]
                logp = torch.log_softmax(model(window[:-1][None])[0], dim=-1)
                new = end - predicted
                nll -= logp[-new:].gather(1, window[1:][-new:, None]).sum().item()
                n += new
                predicted = end
    loss = nll / n
    log = load_training_log()
    assert log["final_heldout_loss"] == pytest.approx(loss, abs=1e-3)
    assert log["best_heldout_loss"] == pytest.approx(loss, abs=1e-3)
    counts = Counter(t for doc in load_documents("train") for t in tokenizer.encode(doc))
    total = sum(counts.values())
    targets = [t for doc in held_docs for t in doc[1:]]
    unigram = -sum(math.log((counts[t] + 1) / (total + vocab)) for t in targets) / len(targets)
    assert loss < math.log(vocab) - 2.0, (loss, math.log(vocab))
    assert loss < unigram - 0.5, (loss, unigram)


def test_mini_gpt_generates_polish_deterministically(mini):
    model, tokenizer = mini
    ids = text_to_token_ids("Kot siedział na", tokenizer)
    a = generate(model, ids, 12, model.cfg.context_length)
    b = generate(model, ids, 12, model.cfg.context_length)
    assert torch.equal(a, b)
    text = tokenizer.decode(a[0].tolist())
    assert text.startswith("Kot siedział na") and len(text) > len("Kot siedział na")


def test_mini_gpt_bad_weights_file(tmp_path):
    shutil.copy(MINI_GPT_DIR / "config.json", tmp_path / "config.json")
    data = (MINI_GPT_DIR / "model.safetensors").read_bytes()
    (tmp_path / "model.safetensors").write_bytes(data[: len(data) - 1000])
    with pytest.raises(KursError) as err:
        load_mini_gpt(tmp_path)
    assert "uszkodzony" in str(err.value)


def test_book_gpt2_numbers_under_seed_123():
    """Książka, rozdział 4: GPTModel(GPT_CONFIG_124M) po torch.manual_seed(123) daje te same logity
    i ten sam tekst z generate (ID tokenów GPT-2 wpisane na sztywno, bez tiktoken)."""
    batch = torch.tensor([[6109, 3626, 6100, 345], [6109, 1110, 6622, 257]])  # "Every effort moves you", "Every day holds a"
    torch.manual_seed(123)
    model = GPTModel(GPT_CONFIG_124M)
    out = model(batch)  # tryb treningu, dropout aktywny – jak w książce
    assert out.shape == (2, 4, 50257)
    expected_first = torch.tensor([[0.3613, 0.4222, -0.0711], [-0.1792, -0.5660, -0.9485],
                                   [0.7120, 0.0332, 0.1085], [-1.0076, 0.3418, -0.1190]])
    expected_last = torch.tensor([[0.3483, 0.4661, -0.2838], [0.0477, 0.5181, -0.3168],
                                  [0.1018, -0.4327, -0.2553], [0.7195, 0.4023, 0.0532]])
    assert torch.allclose(out[0, :, :3], expected_first, atol=1e-4)
    assert torch.allclose(out[0, :, -3:], expected_last, atol=1e-4)
    # "Hello, I am" → 6 tokenów zachłannie (nienauczony model): "Featureiman Byeswickattribute argue"
    ids = generate(model, torch.tensor([[15496, 11, 314, 716]]), max_new_tokens=6, context_size=1024)
    assert ids.tolist() == [[15496, 11, 314, 716, 27018, 24086, 47843, 30961, 42348, 7267]]
    del model


def test_mini_gpt_was_trained_with_the_shipped_tokenizer():
    from llmkurs.model import load_training_log
    from llmkurs.tokenizer import tokenizer_fingerprint

    assert load_training_log()["tokenizer_sha256"] == tokenizer_fingerprint()


def test_changed_tokenizer_is_reported_in_polish(monkeypatch):
    import llmkurs.tokenizer as tok_module
    from llmkurs import model as model_module

    monkeypatch.setattr(tok_module, "tokenizer_fingerprint", lambda folder=None: "0" * 64)
    with pytest.raises(ValueError, match="Tokenizator kursu zmienił się"):
        model_module.load_mini_gpt()


# --------------------------------------------------------------------------- próby gramatyczne, katalog głów


def test_grammar_probes_file():
    from llmkurs.model import load_grammar_probes

    probes = load_grammar_probes()
    assert len(probes) >= 60
    cats = Counter(p["category"] for p in probes)
    assert len(cats) >= 5 and min(cats.values()) >= 10
    keys = {(p["context_a"], p["context_b"]) for p in probes}
    assert len(keys) == len(probes)  # żadna próba dwa razy
    for p in probes:
        assert p["form_a"] != p["form_b"] and p["context_a"] != p["context_b"]
        assert p["form_a"].startswith(" ") and p["form_b"].startswith(" ")


class _TableModel:
    """Model „ręczny”: log p(ostatni token | kontekst) z tabeli, domyślnie −5."""

    def __init__(self, table):
        self.table = table

    def logprob(self, context, symbol):
        return self.table.get((tuple(context[-1:]), symbol), -5.0)


class _WordTokenizer:
    """Tokenizator słowny do testu: każde słowo (ze spacją przed nim) to jeden token."""

    special_tokens = {"<|endoftext|>": 0}

    def __init__(self):
        self.ids = {}

    def encode(self, text):
        import re

        return [self.ids.setdefault(w, len(self.ids) + 1) for w in re.findall(r" ?\w+", text)]


def test_probe_score_formula_by_hand():
    from llmkurs.model import grammar_probe, probe_scores

    tok = _WordTokenizer()
    probe = {"category": "test", "context_a": "Anna", "form_a": " poszła", "context_b": "Piotr", "form_b": " poszedł"}
    ca, fa, cb, fb = (tok.encode(w)[0] for w in ("Anna", " poszła", "Piotr", " poszedł"))
    table = {((ca,), fa): -1.0, ((ca,), fb): -3.0, ((cb,), fa): -2.5, ((cb,), fb): -2.0}
    # [(-1) − (-3)] − [(-2,5) − (-2)] = 2 + 0,5 = 2,5
    assert probe_scores(_TableModel(table), tok, [probe]) == [pytest.approx(2.5)]
    assert grammar_probe(_TableModel(table), tok, [probe]) == {"test": 1.0, "overall": 1.0}
    flipped = {k: -v - 4 for k, v in table.items()}
    assert grammar_probe(_TableModel(flipped), tok, [probe])["overall"] == 0.0
    # forma, która nie daje żadnego tokenu, to polski błąd
    with pytest.raises(KursError, match="nie daje żadnego tokenu"):
        probe_scores(_TableModel(table), tok, [{**probe, "form_a": " ,"}])


def test_unigram_scores_exactly_zero_on_probes():
    from llmkurs import ngram
    from llmkurs.model import grammar_probe, load_grammar_probes, probe_scores
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    uni = ngram.Unigram(tok.n_vocab).fit([tok.encode("Kot siedział na płocie.")])
    probes = load_grammar_probes()[:10]
    assert all(abs(s) < 1e-9 for s in probe_scores(uni, tok, probes))
    assert grammar_probe(uni, tok, probes)["overall"] == 0.0


def test_probe_logprob_equals_model_softmax():
    from llmkurs.model import continuation_logprob
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    torch.manual_seed(0)
    model = GPTModel(GPTConfig(vocab_size=tok.n_vocab, context_length=16, emb_dim=16, n_heads=2, n_layers=1)).eval()
    ids = [tok.special_tokens["<|endoftext|>"], *tok.encode("Kot siedział na płocie")]
    n_ctx = 1 + len(tok.encode("Kot siedział na"))
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ids[:-1]]))[0], dim=-1)
    expected = sum(logp[i - 1, ids[i]].item() for i in range(n_ctx, len(ids)))
    assert continuation_logprob(model, tok, "Kot siedział na", " płocie") == pytest.approx(expected, abs=1e-5)


def test_probe_bad_input_is_polish():
    from llmkurs.model import grammar_probe
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    model = small_model()
    with pytest.raises(KursError, match="niepustą listę"):
        grammar_probe(model, tok, [])
    with pytest.raises(KursError, match="brakuje kluczy"):
        grammar_probe(model, tok, [{"category": "x", "context_a": "Ala"}])
    with pytest.raises(KursError, match="niepustym napisem"):
        grammar_probe(model, tok, [{"category": "x", "context_a": "Ala", "form_a": "", "context_b": "Ola", "form_b": " ma"}])


def test_head_stats_match_attention_weights_and_manual_ablation():
    from llmkurs.model import head_stats

    cfg = GPTConfig(vocab_size=50, context_length=8, emb_dim=16, n_heads=4, n_layers=2, drop_rate=0.0)
    model = small_model(3, cfg)
    ids = torch.randint(0, 50, (20,), generator=torch.Generator().manual_seed(1))
    stats = head_stats(model, ids)
    assert [(s["layer"], s["head"]) for s in stats] == [(i, h) for i in range(2) for h in range(4)]
    # niezależnie: wagi z attention_weights() dla tych samych okien (po 8 tokenów)
    windows = [ids[s:s + 9] for s in range(0, 19, 8)]
    model.set_keep_weights(True)
    sums = torch.zeros(2, 4, 3, dtype=torch.float64)
    count = 0
    base = 0.0
    with torch.no_grad():
        for w in windows:
            logits = model(w[:-1][None])[0]
            base += F.cross_entropy(logits, w[1:], reduction="sum").item()
            n = len(w) - 1
            if n < 3:
                continue
            for layer, a in enumerate(model.attention_weights()):
                for t in range(2, n):
                    sums[layer, :, 0] += a[0, :, t, t - 1].double()
                    sums[layer, :, 1] += a[0, :, t, 0].double()
                    sums[layer, :, 2] += a[0, :, t, t].double()
            count += n - 2
    n_tok = sum(len(w) - 1 for w in windows)
    for s in stats:
        mean = sums[s["layer"], s["head"]] / count
        assert s["previous"] == pytest.approx(mean[0].item(), abs=1e-6)
        assert s["first"] == pytest.approx(mean[1].item(), abs=1e-6)
        assert s["self"] == pytest.approx(mean[2].item(), abs=1e-6)
        assert 0 <= s["previous"] + s["first"] + s["self"] <= 1 + 1e-6
    # ablacja: wyzerowanie kolumn out_proj tej głowy daje tę samą zmianę straty
    layer, head = 1, 2
    hd = cfg.emb_dim // cfg.n_heads
    with torch.no_grad():
        block = model.trf_blocks[layer].att
        saved = block.out_proj.weight.clone()
        block.out_proj.weight[:, head * hd:(head + 1) * hd] = 0
        zeroed = sum(F.cross_entropy(model(w[:-1][None])[0], w[1:], reduction="sum").item() for w in windows)
        block.out_proj.weight.copy_(saved)
    got = next(s["ablation"] for s in stats if (s["layer"], s["head"]) == (layer, head))
    assert got == pytest.approx((zeroed - base) / n_tok, abs=1e-5)


def test_head_stats_bad_input_is_polish():
    from llmkurs.model import head_stats

    model = small_model()
    with pytest.raises(KursError, match="trzech tokenów"):
        head_stats(model, [1, 2])
    with pytest.raises(KursError, match="zakresu"):
        head_stats(model, [1, 2, 500])
    with pytest.raises(KursError, match="dwóch tokenów"):
        head_stats(model, [])
    with pytest.raises(KursTypeError):
        head_stats("model", [1, 2, 3])


def test_corpus_nll_with_full_stride_equals_text_loss():
    from llmkurs.model import corpus_nll

    model = small_model(4)
    # 49 = 3·16 + 1 tokenów: okna text_loss (po 16) i okna corpus_nll z krokiem 16 są te same
    ids = torch.randint(0, SMALL.vocab_size, (49,), generator=torch.Generator().manual_seed(2))
    total, count = corpus_nll(model, [ids], stride=SMALL.context_length)
    assert count == 48
    assert total / count == pytest.approx(text_loss(model, ids), rel=1e-6)
    # z krótszym krokiem każdy token jest przewidziany raz, z dłuższą historią: strata nie rośnie wiele
    total2, count2 = corpus_nll(model, [ids], stride=4)
    assert count2 == 48
    short = torch.randint(0, SMALL.vocab_size, (5,), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        direct = F.cross_entropy(model(short[:-1][None])[0], short[1:], reduction="sum").item()
    assert corpus_nll(model, [short])[0] == pytest.approx(direct, rel=1e-6)


def test_tied_weights_share_the_token_table():
    cfg = GPTConfig(vocab_size=97, context_length=16, emb_dim=32, n_heads=4, n_layers=2, tie_weights=True)
    model = small_model(0, cfg)
    assert model.out_head.weight is model.tok_emb.weight
    assert count_parameters(model) == parameter_formula(cfg, tied=True)["razem"]


def test_fused_kernels_of_the_training_script_match_the_course_classes():
    # scripts/train_mini_gpt.py trenuje z F.layer_norm i F.gelu w miejsce klas kursu: ten sam wzór,
    # różnica tylko na poziomie zaokrągleń float32; po wyjściu z bloku klasy wracają.
    import importlib.util
    from pathlib import Path

    from llmkurs.model import GELU, LayerNorm

    path = Path(__file__).resolve().parents[1] / "scripts" / "train_mini_gpt.py"
    spec = importlib.util.spec_from_file_location("train_mini_gpt_for_test", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    torch.manual_seed(0)
    x = torch.randn(3, 7, 16) * 3 + 1
    norm, gelu = LayerNorm(16), GELU()
    with torch.no_grad():
        norm.scale.uniform_(0.5, 1.5)
        norm.shift.uniform_(-0.5, 0.5)
    plain_norm, plain_gelu = norm(x), gelu(x)
    with script.fused_kernels():
        fused_norm, fused_gelu = norm(x), gelu(x)
    torch.testing.assert_close(fused_norm, plain_norm, rtol=0, atol=1e-5)
    torch.testing.assert_close(fused_gelu, plain_gelu, rtol=0, atol=1e-5)
    # niezależne odniesienie: wzory z definicji
    mean, var = x.mean(-1, keepdim=True), x.var(-1, keepdim=True, unbiased=False)
    torch.testing.assert_close(fused_norm, norm.scale * (x - mean) / torch.sqrt(var + 1e-5) + norm.shift, rtol=0, atol=1e-5)
    torch.testing.assert_close(fused_gelu, 0.5 * x * (1 + torch.erf(x / math.sqrt(2))), rtol=0, atol=2e-3)
    assert LayerNorm.forward is not None and norm(x).equal(plain_norm) and gelu(x).equal(plain_gelu)
