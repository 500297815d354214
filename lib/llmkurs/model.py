"""Mały GPT od zera i generowanie tekstu (rozdział 9: „Od uwagi do modelu”).

Model składa się z klocków z wcześniejszych rozdziałów i kilku nowych (nazwy jak w rozdziale 4
książki Raschki, żeby łatwo przechodzić między książką a kursem):

1. :class:`~llmkurs.embeddings.InputEmbedding` (rozdziały 2–3): identyfikatory tokenów →
   wektory tokenów + wektory pozycji, potem dropout.
2. ``n_layers`` razy :class:`TransformerBlock`::

       x = x + Dropout(MultiHeadAttention(LayerNorm(x)))   # połączenie rezydualne
       x = x + Dropout(FeedForward(LayerNorm(x)))          # sieć Linear → GELU → Linear

   :class:`~llmkurs.attention.MultiHeadAttention` pochodzi z rozdziału 8; :class:`LayerNorm`,
   :class:`GELU` i :class:`FeedForward` są tutaj.
3. Końcowa :class:`LayerNorm` i warstwa wyjściowa ``out_head`` (macierz ``emb_dim × vocab_size``
   bez obciążenia), która daje logity (ang. *logits*) – po jednym wyniku na każdy token słownika.

Liczbę parametrów da się policzyć wzorem bez tworzenia modelu (:func:`parameter_formula`);
dla konfiguracji GPT-2 „124M” z książki wychodzi 163 009 536 (bez współdzielenia wag wejścia
i wyjścia).

:func:`generate` dopisuje tokeny jeden po drugim: zachłannie (``temperature=0``, argmax) albo
losując z rozkładu softmax(logity / temperatura), opcjonalnie tylko spośród ``top_k`` najlepszych.

:func:`load_mini_gpt` wczytuje mały GPT wytrenowany przez ``scripts/train_mini_gpt.py`` na części
treningowej korpusu kursu (wagi w formacie safetensors w ``llmkurs/resources/mini_gpt/``).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from llmkurs.errors import KursError, KursTypeError, require, require_type
from llmkurs.polish import decimal_pl

# --------------------------------------------------------------------------- konfiguracja


@dataclass
class GPTConfig:
    """Konfiguracja modelu GPT (pola jak słownik ``GPT_CONFIG_124M`` z książki).

    Domyślne wartości to GPT-2 „124M”: słownik 50 257 tokenów, kontekst 1024 tokeny, wektory
    768-wymiarowe, 12 głów, 12 bloków, dropout 0,1, bez obciążenia w ``Wq``, ``Wk``, ``Wv``.
    """

    vocab_size: int = 50257
    context_length: int = 1024
    emb_dim: int = 768
    n_heads: int = 12
    n_layers: int = 12
    drop_rate: float = 0.1
    qkv_bias: bool = False
    tie_weights: bool = False

    def __post_init__(self):
        for name in ("vocab_size", "context_length", "emb_dim", "n_heads", "n_layers"):
            value = getattr(self, name)
            require(isinstance(value, int) and not isinstance(value, bool) and value >= 1,
                    f"Pole {name} konfiguracji musi być dodatnią liczbą całkowitą, a jest {value!r}.")
        require(self.emb_dim % self.n_heads == 0,
                f"emb_dim ({self.emb_dim}) musi być podzielne przez n_heads ({self.n_heads}): zmień jedno z nich.")
        require(isinstance(self.drop_rate, (int, float)) and 0.0 <= float(self.drop_rate) < 1.0,
                f"drop_rate musi być liczbą z przedziału [0, 1), a jest {self.drop_rate!r}.")
        require(isinstance(self.qkv_bias, bool), "qkv_bias musi być wartością logiczną (True albo False).")
        require(isinstance(self.tie_weights, bool), "tie_weights musi być wartością logiczną (True albo False).")

    def to_dict(self) -> dict:
        """Słownik pól (jak ``GPT_CONFIG_124M`` w książce)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GPTConfig:
        """Konfiguracja ze słownika; nieznane klucze to błąd z polskim komunikatem."""
        require_type(data, dict, "Konfiguracja musi być słownikiem albo obiektem GPTConfig.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        require(not unknown, f"Nieznane pola konfiguracji: {', '.join(unknown)}; dozwolone: {', '.join(sorted(known))}.")
        return cls(**data)


#: Konfiguracja GPT-2 „124M” z książki (rozdział 4).
GPT_CONFIG_124M = GPTConfig()


def _as_config(cfg) -> GPTConfig:
    if isinstance(cfg, GPTConfig):
        return cfg
    if isinstance(cfg, dict):
        return GPTConfig.from_dict(cfg)
    raise KursTypeError("Konfiguracja musi być obiektem GPTConfig albo słownikiem jak GPT_CONFIG_124M.")


# --------------------------------------------------------------------------- klocki


class LayerNorm(nn.Module):
    """Normalizacja warstwy (ang. *layer normalization*) wzdłuż ostatniego wymiaru.

    Każdy wektor dostaje średnią 0 i wariancję 1 (wariancja obciążona, dzielona przez n, jak
    w GPT-2), a potem jest skalowany (``scale``) i przesuwany (``shift``) – oba trenowalne.
    """

    def __init__(self, emb_dim: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)
        norm_x = (x - mean) / torch.sqrt(var + self.eps)
        return self.scale * norm_x + self.shift


class GELU(nn.Module):
    """Funkcja aktywacji GELU w przybliżeniu przez tanh (jak w GPT-2)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


class FeedForward(nn.Module):
    """Sieć jednokierunkowa bloku: ``emb_dim → 4·emb_dim → GELU → emb_dim`` dla każdego tokenu osobno."""

    def __init__(self, cfg):
        super().__init__()
        cfg = _as_config(cfg)
        self.layers = nn.Sequential(
            nn.Linear(cfg.emb_dim, 4 * cfg.emb_dim),
            GELU(),
            nn.Linear(4 * cfg.emb_dim, cfg.emb_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class TransformerBlock(nn.Module):
    """Blok transformera: uwaga wielogłowa i sieć jednokierunkowa, każda z LayerNorm przed sobą
    (ang. *pre-LayerNorm*), dropoutem na wyjściu i połączeniem rezydualnym (ang. *shortcut*)."""

    def __init__(self, cfg):
        super().__init__()
        from llmkurs.attention import MultiHeadAttention

        cfg = _as_config(cfg)
        self.att = MultiHeadAttention(
            d_in=cfg.emb_dim,
            d_out=cfg.emb_dim,
            context_length=cfg.context_length,
            dropout=cfg.drop_rate,
            num_heads=cfg.n_heads,
            qkv_bias=cfg.qkv_bias,
        )
        self.ff = FeedForward(cfg)
        self.norm1 = LayerNorm(cfg.emb_dim)
        self.norm2 = LayerNorm(cfg.emb_dim)
        self.drop_shortcut = nn.Dropout(cfg.drop_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.drop_shortcut(self.att(self.norm1(x)))
        x = x + shortcut
        shortcut = x
        x = self.drop_shortcut(self.ff(self.norm2(x)))
        return x + shortcut


class GPTModel(nn.Module):
    """Model GPT: osadzenia → ``n_layers`` bloków transformera → LayerNorm → logity.

    ``forward(in_idx)`` przyjmuje identyfikatory tokenów o kształcie ``(batch, tokeny)`` i zwraca
    logity o kształcie ``(batch, tokeny, vocab_size)``: w wierszu ``t`` wyniki dla tokenu, który
    ma nastąpić po tokenach ``0..t``.
    """

    def __init__(self, cfg):
        super().__init__()
        from llmkurs.embeddings import InputEmbedding

        cfg = _as_config(cfg)
        self.cfg = cfg
        self.emb = InputEmbedding(cfg.vocab_size, cfg.emb_dim, cfg.context_length, dropout=cfg.drop_rate)
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg.n_layers)])
        self.final_norm = LayerNorm(cfg.emb_dim)
        self.out_head = nn.Linear(cfg.emb_dim, cfg.vocab_size, bias=False)
        if cfg.tie_weights:
            # jak w GPT-2: warstwa wyjściowa to ta sama macierz co osadzenia tokenów; wtedy też
            # start jak w GPT-2 (odchylenie 0,02), bo wektory N(0, 1) dałyby na starcie ogromne logity
            self.out_head.weight = self.emb.tok_emb.weight
            nn.init.normal_(self.emb.tok_emb.weight, std=0.02)
            nn.init.normal_(self.emb.pos_emb.weight, std=0.02)

    # nazwy z książki: model.tok_emb, model.pos_emb
    @property
    def tok_emb(self) -> nn.Embedding:
        return self.emb.tok_emb

    @property
    def pos_emb(self) -> nn.Embedding:
        return self.emb.pos_emb

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        check_ids(in_idx, self.cfg)
        x = self.emb(in_idx)
        x = self.trf_blocks(x)
        x = self.final_norm(x)
        return self.out_head(x)

    def set_keep_weights(self, keep: bool) -> None:
        """Zapamiętuj wagi uwagi w każdej warstwie (``True``, do rysunków) albo licz szybko
        fuzją PyTorcha (``False``, do treningu)."""
        for block in self.trf_blocks:
            block.att.keep_weights = bool(keep)

    def attention_weights(self) -> list[torch.Tensor]:
        """Wagi uwagi z ostatniego przebiegu, po jednej macierzy ``(batch, głowy, tokeny, tokeny)``
        na warstwę (wymaga ``set_keep_weights(True)`` przed przebiegiem)."""
        out = []
        for block in self.trf_blocks:
            weights = getattr(block.att, "last_weights", None)
            require(weights is not None, "Brak zapamiętanych wag uwagi: wywołaj model.set_keep_weights(True) i uruchom model jeszcze raz.")
            out.append(weights)
        return out


def check_ids(in_idx, cfg: GPTConfig) -> None:
    """Sprawdź identyfikatory tokenów dla modelu (kształt, typ, zakres, długość kontekstu)."""
    require_type(in_idx, torch.Tensor, "Wejście modelu musi być tensorem identyfikatorów tokenów (torch.tensor([[...]])).")
    require(in_idx.dim() == 2,
            f"Wejście modelu musi mieć kształt (batch, tokeny), a ma {tuple(in_idx.shape)}: dodaj wymiar batcha, np. ids.unsqueeze(0).")
    require(not in_idx.is_floating_point() and in_idx.dtype != torch.bool,
            "Identyfikatory tokenów muszą być liczbami całkowitymi (dtype=torch.long).")
    require(in_idx.shape[1] >= 1, "Pusty tekst: wpisz choć jedno słowo – model potrzebuje co najmniej jednego tokenu.")
    require(in_idx.shape[1] <= cfg.context_length,
            f"Tekst ma {in_idx.shape[1]} tokenów, a model widzi najwyżej {cfg.context_length}: skróć go (np. ids[:, -{cfg.context_length}:]).")
    if in_idx.numel():
        lo, hi = int(in_idx.min()), int(in_idx.max())
        require(lo >= 0 and hi < cfg.vocab_size,
                f"Identyfikatory tokenów muszą być z zakresu 0…{cfg.vocab_size - 1}, a są od {lo} do {hi}.")


# --------------------------------------------------------------------------- liczba parametrów


def count_parameters(model: nn.Module) -> int:
    """Liczba wszystkich parametrów modelu (suma ``numel()``)."""
    return sum(p.numel() for p in model.parameters())


def parameter_formula(cfg, *, tied: bool = False) -> dict[str, int]:
    """Liczba parametrów GPT policzona wzorem, bez tworzenia modelu.

    Dla ``d = emb_dim``, ``V = vocab_size``, ``C = context_length``, ``L = n_layers``:

    - osadzenia tokenów ``V·d`` i pozycji ``C·d``,
    - w bloku: uwaga ``3·d·d`` (``Wq``, ``Wk``, ``Wv``; ``+3·d`` z ``qkv_bias``) ``+ d·d + d``
      (``out_proj``), sieć ``d·4d + 4d + 4d·d + d``, dwie LayerNorm ``2·2d``,
    - końcowa LayerNorm ``2d`` i warstwa wyjściowa ``d·V`` (0, gdy ``tied=True``: te same wagi
      co osadzenia tokenów, jak w oryginalnym GPT-2).

    Zwraca słownik części i sumę pod kluczem ``"razem"``.
    """
    cfg = _as_config(cfg)
    d, v, c, n = cfg.emb_dim, cfg.vocab_size, cfg.context_length, cfg.n_layers
    attention = 3 * d * d + (3 * d if cfg.qkv_bias else 0) + d * d + d
    feed_forward = d * 4 * d + 4 * d + 4 * d * d + d
    norms = 2 * 2 * d
    parts = {
        "osadzenia tokenów": v * d,
        "osadzenia pozycji": c * d,
        "uwaga (wszystkie bloki)": n * attention,
        "sieć jednokierunkowa (wszystkie bloki)": n * feed_forward,
        "LayerNorm (bloki + końcowa)": n * norms + 2 * d,
        "warstwa wyjściowa": 0 if tied else d * v,
    }
    parts["razem"] = sum(parts.values())
    return parts


# --------------------------------------------------------------------------- generowanie


def _check_generation(model, ids, max_new_tokens, context_size, temperature, top_k) -> None:
    require_type(model, nn.Module, "Pierwszym argumentem musi być model (np. GPTModel).")
    require_type(ids, torch.Tensor, "Prompt musi być tensorem identyfikatorów o kształcie (batch, tokeny), np. torch.tensor([ids]).")
    require(ids.dim() == 2, f"Prompt musi mieć kształt (batch, tokeny), a ma {tuple(ids.shape)}: użyj ids.unsqueeze(0).")
    require(ids.shape[1] >= 1, "Pusty prompt: wpisz przynajmniej jedno słowo, od którego model ma zacząć.")
    require(isinstance(max_new_tokens, int) and not isinstance(max_new_tokens, bool) and max_new_tokens >= 0,
            f"max_new_tokens musi być nieujemną liczbą całkowitą, a jest {max_new_tokens!r}.")
    require(isinstance(context_size, int) and not isinstance(context_size, bool) and context_size >= 1,
            f"context_size musi być dodatnią liczbą całkowitą, a jest {context_size!r}.")
    limit = getattr(getattr(model, "cfg", None), "context_length", None)
    if limit is not None:
        require(context_size <= limit,
                f"context_size = {context_size} przekracza długość kontekstu modelu ({limit}): ustaw najwyżej {limit}.")
    require(isinstance(temperature, (int, float)) and not isinstance(temperature, bool) and math.isfinite(temperature) and temperature >= 0,
            f"Temperatura musi być liczbą ≥ 0 (0 = wybór zachłanny), a jest {temperature!r}.")
    if top_k is not None:
        require(isinstance(top_k, int) and not isinstance(top_k, bool) and top_k >= 1,
                f"top_k musi być liczbą całkowitą ≥ 1 albo None, a jest {top_k!r}.")


def next_token_logits(model: nn.Module, ids: torch.Tensor, context_size: int | None = None) -> torch.Tensor:
    """Logity następnego tokenu (ostatni wiersz wyjścia modelu), kształt ``(batch, vocab)``."""
    if context_size is not None:
        ids = ids[:, -context_size:]
    with torch.no_grad():
        return model(ids)[:, -1, :]


def adjust_logits(logits: torch.Tensor, temperature: float = 0.0, top_k: int | None = None) -> torch.Tensor:
    """Zastosuj top-k (pozostałe logity → −∞) i temperaturę (dzielenie logitów, gdy > 0)."""
    if top_k is not None:
        k = min(int(top_k), logits.shape[-1])
        top_values, _ = torch.topk(logits, k, dim=-1)
        min_val = top_values[..., -1:]
        logits = torch.where(logits < min_val, torch.tensor(float("-inf"), dtype=logits.dtype), logits)
    if temperature > 0.0:
        logits = logits / temperature
    return logits


def next_token_probs(model: nn.Module, ids: torch.Tensor, temperature: float = 1.0,
                     top_k: int | None = None, context_size: int | None = None) -> torch.Tensor:
    """Rozkład prawdopodobieństwa następnego tokenu ``(batch, vocab)`` po top-k i temperaturze.

    Temperatura 0 to wybór zachłanny: całe prawdopodobieństwo na tokenie z największym logitem.
    """
    context_size = context_size or model.cfg.context_length
    _check_generation(model, ids, 0, context_size, temperature, top_k)
    was_training = model.training
    model.eval()
    try:
        logits = next_token_logits(model, ids, context_size)
    finally:
        model.train(was_training)
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(adjust_logits(logits, temperature, top_k), dim=-1)


def generate(model: nn.Module, ids: torch.Tensor, max_new_tokens: int, context_size: int,
             temperature: float = 0.0, top_k: int | None = None, *, eos_id: int | None = None,
             generator: torch.Generator | None = None) -> torch.Tensor:
    """Dopisz do ``ids`` ``(batch, tokeny)`` do ``max_new_tokens`` tokenów; zwróć całość.

    W każdym kroku model widzi ostatnie ``context_size`` tokenów. ``temperature=0`` to wybór
    zachłanny (argmax). Przy ``temperature > 0`` losujemy (``torch.multinomial``) z
    ``softmax(logity / temperature)``, a z ``top_k`` tylko spośród ``top_k`` tokenów o
    największych logitach (``top_k=1`` to znowu wybór zachłanny). ``generator`` (``torch.Generator``
    z ustalonym ziarnem) czyni losowanie powtarzalnym. ``eos_id`` kończy wcześniej, gdy wszystkie
    wiersze wylosują ten token. Na czas generowania model jest w trybie ewaluacji (bez dropoutu).
    """
    _check_generation(model, ids, max_new_tokens, context_size, temperature, top_k)
    was_training = model.training
    model.eval()
    try:
        for _ in range(max_new_tokens):
            logits = next_token_logits(model, ids, context_size)
            logits = adjust_logits(logits, temperature, top_k)
            if temperature > 0.0:
                probs = torch.softmax(logits, dim=-1)
                idx_next = torch.multinomial(probs, num_samples=1, generator=generator)
            else:
                idx_next = torch.argmax(logits, dim=-1, keepdim=True)
            ids = torch.cat((ids, idx_next), dim=1)
            if eos_id is not None and bool((idx_next == eos_id).all()):
                break
    finally:
        model.train(was_training)
    return ids


def text_to_token_ids(text: str, tokenizer) -> torch.Tensor:
    """Tekst → tensor ``(1, tokeny)`` (jak w książce); pusty tekst to polski błąd."""
    require_type(text, str, "Prompt musi być napisem (str).")
    require(text.strip() != "", "Pusty prompt: wpisz przynajmniej jedno słowo, od którego model ma zacząć.")
    ids = tokenizer.encode(text, allowed_special={"<|endoftext|>"})
    return torch.tensor(ids, dtype=torch.long).unsqueeze(0)


def token_ids_to_text(ids: torch.Tensor, tokenizer) -> str:
    """Tensor ``(1, tokeny)`` albo ``(tokeny,)`` → tekst."""
    return tokenizer.decode(ids.reshape(-1).tolist())


# --------------------------------------------------------------------------- strata


def calc_loss_batch(input_batch: torch.Tensor, target_batch: torch.Tensor, model: nn.Module) -> torch.Tensor:
    """Średnia entropia krzyżowa (ang. *cross-entropy*) modelu na jednym batchu par wejście→cel."""
    logits = model(input_batch)
    return F.cross_entropy(logits.flatten(0, 1), target_batch.flatten())


def calc_loss_loader(data_loader, model: nn.Module, num_batches: int | None = None) -> float:
    """Średnia strata na (pierwszych ``num_batches``) batchach ładowarki, bez gradientów."""
    require(len(data_loader) > 0, "Ładowarka danych jest pusta: tekst jest za krótki dla tej długości kontekstu.")
    n = len(data_loader) if num_batches is None else min(num_batches, len(data_loader))
    total = 0.0
    with torch.no_grad():
        for i, (inp, tgt) in enumerate(data_loader):
            if i >= n:
                break
            total += calc_loss_batch(inp, tgt, model).item()
    return total / n


def text_loss(model: nn.Module, ids, context_length: int | None = None) -> float:
    """Średnia strata (nat na token) modelu na całym ciągu ``ids``: każdy token od drugiego
    przewidziany dokładnie raz, w oknach nienachodzących na siebie o długości ``context_length``."""
    ids = torch.as_tensor(ids, dtype=torch.long).reshape(-1)
    require(ids.numel() >= 2, "Do policzenia straty potrzeba co najmniej dwóch tokenów.")
    context_length = context_length or model.cfg.context_length
    device = next(model.parameters()).device  # tokeny tam, gdzie model (CPU albo karta graficzna)
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    try:
        with torch.no_grad():
            for start in range(0, ids.numel() - 1, context_length):
                chunk = ids[start:start + context_length + 1].to(device)
                if chunk.numel() < 2:
                    break
                logits = model(chunk[:-1].unsqueeze(0))[0]
                total += F.cross_entropy(logits, chunk[1:], reduction="sum").item()
                count += chunk.numel() - 1
    finally:
        model.train(was_training)
    return total / count


# --------------------------------------------------------------------------- zapis i odczyt

#: Folder z wytrenowanym małym GPT kursu.
MINI_GPT_DIR = Path(__file__).resolve().parent / "resources" / "mini_gpt"


def save_model(model: GPTModel, folder) -> Path:
    """Zapisz model: ``config.json`` i ``model.safetensors`` (bez pickle)."""
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(model.cfg.to_dict(), indent=2) + "\n", encoding="utf-8")
    # tylko parametry: bufory (np. maska przyczynowa) model odtwarza sam
    state = {k: v.detach().contiguous() for k, v in model.named_parameters()}
    save_file(state, str(folder / "model.safetensors"))
    return folder


def load_model(folder) -> GPTModel:
    """Wczytaj model zapisany przez :func:`save_model` (w trybie ewaluacji).

    Brakujący, ucięty albo niepasujący do konfiguracji plik wag to :class:`KursError` z polskim
    zdaniem, a nie głęboki ślad stosu.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    folder = Path(folder)
    config_path, weights_path = folder / "config.json", folder / "model.safetensors"
    require(config_path.exists(), f"Brak pliku {config_path}: uruchom python scripts/train_mini_gpt.py albo podaj właściwy folder.")
    require(weights_path.exists(), f"Brak pliku wag {weights_path}: uruchom python scripts/train_mini_gpt.py albo podaj właściwy folder.")
    try:
        cfg = GPTConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise KursError(f"Plik {config_path.name} nie jest poprawnym JSON-em: przywróć go z repozytorium kursu.") from None
    try:
        state = load_file(str(weights_path))
    except (SafetensorError, OSError, ValueError, RuntimeError):
        raise KursError(f"Plik wag {weights_path.name} jest uszkodzony (ucięty albo w innym formacie): przywróć go z repozytorium kursu albo wytrenuj model od nowa.") from None
    model = GPTModel(cfg)
    expected = {k: v.shape for k, v in model.named_parameters()}
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    wrong = sorted(k for k in expected if k in state and tuple(state[k].shape) != tuple(expected[k]))
    require(not missing and not extra and not wrong,
            f"Plik wag nie pasuje do config.json (brakuje: {len(missing)}, nadmiarowe: {len(extra)}, "
            f"inne kształty: {len(wrong)}, np. {(missing + extra + wrong)[:1]}): użyj wag i konfiguracji z tego samego treningu.")
    model.load_state_dict(state, strict=False)
    model.eval()
    return model


def load_mini_gpt(folder=None):
    """Mały GPT kursu i tokenizer kursu: ``(model, tokenizer)``, model w trybie ewaluacji."""
    from llmkurs.tokenizer import polish_tokenizer

    model = load_model(MINI_GPT_DIR if folder is None else folder)
    tokenizer = polish_tokenizer()
    require(tokenizer.n_vocab <= model.cfg.vocab_size,
            f"Tokenizer ma {tokenizer.n_vocab} tokenów, a model tylko {model.cfg.vocab_size}: wytrenuj model od nowa (scripts/train_mini_gpt.py).")
    if folder is None:
        from llmkurs.tokenizer import tokenizer_fingerprint

        trained_with = load_training_log().get("tokenizer_sha256")
        require(trained_with == tokenizer_fingerprint(),
                "Tokenizator kursu zmienił się od treningu małego GPT: wytrenuj model od nowa (python scripts/train_mini_gpt.py).")
    return model, tokenizer


def load_training_log(folder=None) -> dict:
    """Dziennik treningu małego GPT (straty w kolejnych krokach) z ``training_log.json``."""
    path = Path(MINI_GPT_DIR if folder is None else folder) / "training_log.json"
    require(path.exists(), f"Brak dziennika treningu {path}: uruchom python scripts/train_mini_gpt.py.")
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- trening


def random_batch(ids: torch.Tensor, batch_size: int, context_length: int,
                 generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Losowy batch par wejście→cel z długiego ciągu ``ids``: ``batch_size`` okien długości
    ``context_length`` zaczynających się w losowych miejscach, cel przesunięty o jeden token."""
    require(ids.numel() > context_length + 1,
            f"Tekst ma {ids.numel()} tokenów, a okno {context_length}: potrzeba dłuższego tekstu albo krótszego okna.")
    starts = torch.randint(0, ids.numel() - context_length - 1, (batch_size,), generator=generator)
    x = torch.stack([ids[s:s + context_length] for s in starts.tolist()])
    y = torch.stack([ids[s + 1:s + context_length + 1] for s in starts.tolist()])
    return x, y


def train_steps(model: GPTModel, train_ids, heldout_ids, *, steps: int, batch_size: int = 16,
                context_length: int | None = None, lr: float = 1e-3, weight_decay: float = 0.1,
                warmup: int = 0, eval_every: int = 50, seed: int = 123, log=None) -> dict:
    """Trenuj ``model`` przez ``steps`` kroków AdamW na losowych oknach z ``train_ids``.

    Co ``eval_every`` kroków (i na końcu) liczy stratę na całym ``heldout_ids``
    (:func:`text_loss`). Współczynnik uczenia rośnie liniowo przez ``warmup`` kroków, potem
    maleje kosinusowo do 10 %. Losowanie batchy i dropout zależą tylko od ``seed``.
    Zwraca dziennik: ``{"step": [...], "train_loss": [...], "eval_step": [...],
    "heldout_loss": [...]}``; ``log`` (np. ``print``) dostaje wiersz po każdej ewaluacji.
    """
    require(isinstance(steps, int) and steps >= 1, "Liczba kroków treningu musi być dodatnią liczbą całkowitą.")
    train_ids = torch.as_tensor(train_ids, dtype=torch.long).reshape(-1)
    heldout_ids = torch.as_tensor(heldout_ids, dtype=torch.long).reshape(-1)
    context_length = context_length or model.cfg.context_length
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "emb" not in name else no_decay).append(p)
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=lr)

    def lr_at(step: int) -> float:
        if warmup and step < warmup:
            return lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, steps - warmup)
        return lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    history = {"step": [], "train_loss": [], "eval_step": [], "heldout_loss": []}
    model.train()
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step)
        x, y = random_batch(train_ids, batch_size, context_length, gen)
        loss = calc_loss_batch(x, y, model)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        history["step"].append(step + 1)
        history["train_loss"].append(round(loss.item(), 4))
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            held = text_loss(model, heldout_ids, context_length)
            model.train()
            history["eval_step"].append(step + 1)
            history["heldout_loss"].append(round(held, 4))
            if log is not None:
                recent = history["train_loss"][-eval_every:]
                log(f"krok {step + 1:5d}: strata treningowa {decimal_pl(sum(recent) / len(recent), 3)}, odłożona {decimal_pl(held, 3)}")
    model.eval()
    return history


# --------------------------------------------------------------------------- co model umie: ocena

#: Plik z próbami gramatycznymi kursu (pary minimalne, napisane dla kursu).
GRAMMAR_PROBES_PATH = Path(__file__).resolve().parent / "resources" / "grammar_probes.json"


def load_grammar_probes() -> list[dict]:
    """Próby gramatyczne kursu: lista słowników ``category``, ``context_a``, ``form_a``,
    ``context_b``, ``form_b`` (forma A pasuje po kontekście A, a nie po B; forma B odwrotnie)."""
    return json.loads(GRAMMAR_PROBES_PATH.read_text(encoding="utf-8"))


def _doc_ids(tokenizer, text: str) -> list[int]:
    """Identyfikatory tekstu poprzedzone tokenem ``<|endoftext|>`` (tak zaczyna się każdy
    dokument w treningu małego GPT)."""
    return [tokenizer.special_tokens["<|endoftext|>"], *tokenizer.encode(text)]


def continuation_logprob(model, tokenizer, context: str, form: str) -> float:
    """log P(``form`` | ``context``): suma log-prawdopodobieństw tokenów ``form`` dopisanej
    do ``context`` (naturalny logarytm). ``model`` to GPTModel albo model n-gramowy
    z :mod:`llmkurs.ngram` (metoda ``logprob(kontekst, symbol)``)."""
    ctx = _doc_ids(tokenizer, context)
    full = _doc_ids(tokenizer, context + form)
    if full[:len(ctx)] != ctx:  # granica tokenów przesunęła się: kodujemy formę osobno
        full = ctx + tokenizer.encode(form)
    cont = full[len(ctx):]
    require(len(cont) > 0, f"Forma {form!r} nie daje żadnego tokenu: podaj niepusty wyraz (zwykle ze spacją na początku).")
    if isinstance(model, nn.Module):
        limit = model.cfg.context_length
        ids = torch.tensor([full[-(limit + 1):]], dtype=torch.long)
        require(int(ids.max()) < model.cfg.vocab_size, "Tokenizator ma więcej tokenów niż model: użyj pary z load_mini_gpt().")
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                logp = torch.log_softmax(model(ids[:, :-1])[0], dim=-1)
        finally:
            model.train(was_training)
        targets = ids[0, 1:]
        n = len(cont)
        return float(logp[-n:].gather(1, targets[-n:].unsqueeze(1)).sum())
    return sum(model.logprob(full[:i], full[i]) for i in range(len(ctx), len(full)))


def _check_probe(probe, index: int) -> None:
    require(isinstance(probe, dict), f"Próba nr {index + 1} musi być słownikiem z kluczami category, context_a, form_a, context_b, form_b.")
    missing = [k for k in ("category", "context_a", "form_a", "context_b", "form_b") if k not in probe]
    require(not missing, f"Próbie nr {index + 1} brakuje kluczy: {', '.join(missing)}.")
    for key in ("context_a", "form_a", "context_b", "form_b"):
        require(isinstance(probe[key], str) and probe[key].strip() != "",
                f"Pole {key} próby nr {index + 1} musi być niepustym napisem.")


def probe_scores(model, tokenizer, probes) -> list[float]:
    """Wynik każdej próby: ``[log p(A|kA) − log p(B|kA)] − [log p(A|kB) − log p(B|kB)]``.

    Dodatni wynik = model woli formę A po kontekście A bardziej niż po kontekście B (i odwrotnie
    dla B). Częstość samej formy się skraca: model bez kontekstu (unigram) dostaje dokładnie 0.
    """
    require(isinstance(probes, (list, tuple)) and len(probes) > 0,
            "Podaj niepustą listę prób (np. load_grammar_probes()).")
    scores = []
    for i, p in enumerate(probes):
        _check_probe(p, i)
        lp = {(f, c): continuation_logprob(model, tokenizer, p[c], p[f])
              for f in ("form_a", "form_b") for c in ("context_a", "context_b")}
        scores.append((lp["form_a", "context_a"] - lp["form_b", "context_a"])
                      - (lp["form_a", "context_b"] - lp["form_b", "context_b"]))
    return scores


def grammar_probe(model, tokenizer, probes) -> dict:
    """Trafność na próbach gramatycznych: ``{kategoria: trafność, ..., "overall": trafność}``.

    Próba jest trafiona, gdy jej wynik (:func:`probe_scores`) jest ściśle dodatni – remis
    (np. model bez kontekstu) liczy się jako błąd.
    """
    scores = probe_scores(model, tokenizer, probes)
    by_cat: dict[str, list[bool]] = {}
    for p, s in zip(probes, scores):
        by_cat.setdefault(p["category"], []).append(s > 0)
    result = {cat: sum(v) / len(v) for cat, v in by_cat.items()}
    result["overall"] = sum(s > 0 for s in scores) / len(scores)
    return result


def _as_id_tensor(ids, cfg: GPTConfig) -> torch.Tensor:
    if isinstance(ids, torch.Tensor):
        t = ids
    else:
        require(isinstance(ids, (list, tuple)), "Identyfikatory tokenów podaj jako listę liczb albo tensor.")
        t = torch.tensor(list(ids), dtype=torch.long)
    require(not t.is_floating_point() and t.dtype != torch.bool, "Identyfikatory tokenów muszą być liczbami całkowitymi.")
    t = t.reshape(-1).long()
    require(t.numel() >= 2, "Potrzeba co najmniej dwóch tokenów tekstu (wpisz dłuższy tekst).")
    lo, hi = int(t.min()), int(t.max())
    require(lo >= 0 and hi < cfg.vocab_size,
            f"Identyfikatory tokenów muszą być z zakresu 0…{cfg.vocab_size - 1}, a są od {lo} do {hi}.")
    return t


def _windows(t: torch.Tensor, size: int) -> list[torch.Tensor]:
    return [t[s:s + size + 1] for s in range(0, t.numel() - 1, size) if t[s:s + size + 1].numel() >= 2]


def head_stats(model: GPTModel, ids) -> list[dict]:
    """Katalog głów: dla każdej warstwy i głowy, na tekście ``ids`` (np. części odłożonej).

    Zwraca listę słowników (warstwa po warstwie, głowa po głowie) z kluczami ``layer``,
    ``head`` (od 0), ``previous``, ``first``, ``self`` – średni udział uwagi na poprzednim
    tokenie, na pierwszym tokenie okna i na sobie (liczony dla pozycji od trzeciej, bo w dwóch
    pierwszych te trzy pokrywają się), oraz ``ablation`` – o ile rośnie strata (nat na token),
    gdy wyzerujemy wyjście tylko tej głowy. Tekst dłuższy niż kontekst modelu dzielimy na
    kolejne okna; krótszy też wystarczy (co najmniej trzy tokeny).
    """
    require_type(model, GPTModel, "Pierwszym argumentem musi być GPTModel (np. z load_mini_gpt()).")
    t = _as_id_tensor(ids, model.cfg)
    require(t.numel() >= 3, "Potrzeba co najmniej trzech tokenów tekstu, żeby odróżnić poprzedni token od pierwszego.")
    windows = _windows(t, model.cfg.context_length)
    was_training = model.training
    model.eval()
    n_layers, n_heads = model.cfg.n_layers, model.cfg.n_heads
    sums = torch.zeros(n_layers, n_heads, 3, dtype=torch.float64)
    count = 0
    try:
        model.set_keep_weights(True)
        base_total, n_tokens = 0.0, 0
        with torch.no_grad():
            for w in windows:
                logits = model(w[:-1].unsqueeze(0))[0]
                base_total += F.cross_entropy(logits, w[1:], reduction="sum").item()
                n_tokens += w.numel() - 1
                n = w.numel() - 1
                if n < 3:
                    continue
                pos = torch.arange(2, n)
                for layer, weights in enumerate(model.attention_weights()):
                    a = weights[0].double()  # (głowy, tokeny, tokeny)
                    sums[layer, :, 0] += a[:, pos, pos - 1].sum(-1)
                    sums[layer, :, 1] += a[:, pos, 0].sum(-1)
                    sums[layer, :, 2] += a[:, pos, pos].sum(-1)
                count += n - 2
        base = base_total / n_tokens
        model.set_keep_weights(False)
        ablation = torch.zeros(n_layers, n_heads, dtype=torch.float64)
        for layer, block in enumerate(model.trf_blocks):
            hd = block.att.head_dim
            for head in range(n_heads):
                def zero_head(_module, args, head=head, hd=hd):
                    x = args[0].clone()
                    x[..., head * hd:(head + 1) * hd] = 0
                    return (x,)
                handle = block.att.out_proj.register_forward_pre_hook(zero_head)
                try:
                    total = 0.0
                    with torch.no_grad():
                        for w in windows:
                            total += F.cross_entropy(model(w[:-1].unsqueeze(0))[0], w[1:], reduction="sum").item()
                finally:
                    handle.remove()
                ablation[layer, head] = total / n_tokens - base
    finally:
        model.set_keep_weights(True)
        model.train(was_training)
    out = []
    for layer in range(n_layers):
        for head in range(n_heads):
            prev, first, self_ = (sums[layer, head] / max(count, 1)).tolist()
            out.append({"layer": layer, "head": head, "previous": prev, "first": first, "self": self_,
                        "ablation": float(ablation[layer, head])})
    return out


def corpus_nll(model: GPTModel, docs_ids, stride: int | None = None, batch_size: int = 32) -> tuple[float, int]:
    """Suma strat (naty) modelu na dokumentach i liczba przewidzianych tokenów.

    Każdy dokument to lista identyfikatorów zaczynająca się od ``<|endoftext|>`` (ten token jest
    tylko kontekstem). Dokument dłuższy niż kontekst modelu oceniamy oknem przesuwanym
    o ``stride`` (domyślnie pół kontekstu): każdy token jest przewidziany dokładnie raz, mając
    za sobą co najmniej ``context − stride`` tokenów historii (poza początkiem dokumentu).
    Okna tej samej długości liczymy razem, po ``batch_size`` (szybciej, ten sam wynik).
    """
    ctx = model.cfg.context_length
    stride = stride or max(1, ctx // 2)
    require(1 <= stride <= ctx, f"stride musi być z zakresu 1…{ctx}.")
    windows: dict[int, list[tuple[torch.Tensor, int]]] = {}
    for doc in docs_ids:
        t = _as_id_tensor(doc, model.cfg)
        n = t.numel()
        done = 1  # pozycja pierwszego jeszcze nieprzewidzianego tokenu
        while done < n:
            end = min(n, ctx + 1 if done == 1 else done + stride)
            w = t[max(0, end - ctx - 1):end]
            windows.setdefault(w.numel(), []).append((w, end - done))  # ostatnie end − done celów są nowe
            done = end
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    try:
        with torch.no_grad():
            for length in sorted(windows):
                group = windows[length]
                for i in range(0, len(group), batch_size):
                    part = group[i:i + batch_size]
                    batch = torch.stack([w for w, _ in part])
                    logp = torch.log_softmax(model(batch[:, :-1]), dim=-1)
                    nll = -logp.gather(2, batch[:, 1:].unsqueeze(2)).squeeze(2)
                    for row, (_, k) in enumerate(part):
                        total += float(nll[row, -k:].double().sum())
                        count += k
    finally:
        model.train(was_training)
    return total, count
