"""Eksport danych dla paneli „Na żywo” strony kursu (zgłoszenie 10), przy każdej budowie.

Wszystko liczy się z ``llmkurs`` w chwili uruchomienia – po ponownym treningu tokenizatora albo
małego GPT wystarczy uruchomić skrypt jeszcze raz (``make book`` i ``make node`` to robią).
Wynik trafia do ``_vendor/live-data/`` (ignorowany przez git; ``html_extra_path`` kopiuje go
do ``_build/html/live-data/``):

- ``kurs.json`` – tokenizator kursu w formacie rang js-tiktoken (``pat_str``, ``special_tokens``,
  ``bpe_ranks``: wiersze ``"! początek token_base64 …"``). Nasz BPE scala pary według rang
  dokładnie tak jak tiktoken, więc rangi = ID tokenów. Dodatkowo ``merge_rank_order`` (ID
  tokenów w kolejności scaleń – suwak scaleń z rozdziału 1).
- ``gpt2.json``, ``cl100k_base.json`` – słowniki GPT-2 i GPT-4 dołączone do pakietu npm
  js-tiktoken (``.cache/js/node_modules``, instaluje ``scripts/vendor_js.sh``), przepisane do
  JSON-u, żeby przeglądarka wczytała je tylko wtedy, gdy są potrzebne.
- ``mini_gpt.json`` + ``mini_gpt.bin`` – konfiguracja (``GPTConfig`` z ``load_mini_gpt()``: warstwy,
  głowy, szerokość, kontekst, ``qkv_bias``, ``tie_weights``) i wagi. Precyzję wybieramy pomiarem:
  najpierw float16 wszędzie; gdy plik przekracza 8 MB albo rozkład następnego tokenu odbiega
  od modelu float32 bardziej niż pozwala zgłoszenie (top-10 te same, różnica ≤ 2e-3), duże
  macierze dostają int8 ze skalą na wiersz, reszta float16. Pomiar (na zdaniach z korpusu)
  zapisujemy w ``mini_gpt.json`` pod ``"precision"``.
- ``--fixtures KATALOG`` – dodatkowo wyniki biblioteki dla testów ``node --test`` (``web/test/``):
  ID tokenów trzech tokenizatorów, scalenia, pary wejście→cel, wagi uwagi, pozycje,
  rozkłady następnego tokenu. Testy porównują z nimi liczby z JavaScriptu.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_vendor" / "live-data"
NODE_MODULES = ROOT / ".cache" / "js" / "node_modules"
MAX_WEIGHTS_BYTES = 8_000_000  # „≤ 8 MB” ze zgłoszenia, dziesiętnie (ostrzej niż 8 MiB)
TOP_K_CHECK = 10
PROB_TOL = 2e-3
#: Długość grupy ze wspólną skalą w kodowaniu int8 „i8g”.
GROUP = 32


# --------------------------------------------------------------------------- tokenizatory


def ranks_to_tiktoken_json(ranks: dict[bytes, int], pattern: str, specials: dict[str, int]) -> dict:
    """Rangi ``bajty → ID`` w formacie js-tiktoken (ciągłe przedziały ID w jednym wierszu)."""
    items = sorted(ranks.items(), key=lambda kv: kv[1])
    lines, start, run, prev = [], None, [], None
    for token, rank in items:
        if prev is None or rank != prev + 1:
            if run:
                lines.append(f"! {start} " + " ".join(run))
            start, run = rank, []
        run.append(base64.b64encode(token).decode("ascii"))
        prev = rank
    if run:
        lines.append(f"! {start} " + " ".join(run))
    return {"pat_str": pattern, "special_tokens": dict(specials), "bpe_ranks": "\n".join(lines)}


def export_course_tokenizer(out: Path) -> dict:
    from llmkurs.tokenizer import polish_tokenizer

    tok = polish_tokenizer()
    data = ranks_to_tiktoken_json(tok._ranks, tok.pattern, tok.special_tokens)
    data["name"] = "kurs"
    data["n_vocab"] = tok.n_vocab
    data["merge_rank_order"] = list(tok._merge_rank_order)
    (out / "kurs.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def export_tiktoken_ranks(out: Path) -> None:
    """GPT-2 i cl100k z pakietu npm js-tiktoken (te same rangi co tiktoken – sprawdzają testy)."""
    ranks_dir = NODE_MODULES / "js-tiktoken" / "dist" / "ranks"
    if not ranks_dir.is_dir():
        sys.exit("export: brak js-tiktoken w .cache/js – uruchom najpierw bash scripts/vendor_js.sh.")
    script = (
        "const fs=require('fs');"
        "for (const [name,file] of [['gpt2','gpt2.cjs'],['cl100k_base','cl100k_base.cjs']]) {"
        "  const m=require(process.argv[1]+'/'+file); const d=m.default||m;"
        "  fs.writeFileSync(process.argv[2]+'/'+name+'.json', JSON.stringify(d));}"
    )
    subprocess.run(["node", "-e", script, str(ranks_dir), str(out)], check=True)


# --------------------------------------------------------------------------- wagi


def _config_dict(cfg, model) -> dict:
    d = dict(cfg.to_dict())
    tied = bool(getattr(cfg, "tie_weights", False)) or model.out_head.weight is model.tok_emb.weight
    d["tie_weights"] = tied
    d["qkv_bias"] = bool(d.get("qkv_bias", False))
    return d


def _tensors(model, tied: bool):
    """Parametry modelu (bez powtórzonej tabeli wyjściowej przy współdzielonych wagach)."""
    seen = set()
    for name, p in model.named_parameters(remove_duplicate=False):
        if tied and name == "out_head.weight":
            continue
        if id(p) in seen:
            continue
        seen.add(id(p))
        yield name, p.detach().float().contiguous()


def _encode(tensor, mode: str):
    """(dtype, bajty, tensor po odkodowaniu) dla ``mode`` ∈ {"f16", "i8r", "i8g"}.

    Przesunięcia (``offset``) w manifeście dotyczą bajtów po rozpakowaniu (:func:`pack`).

    i8r – int8 ze skalą na wiersz, i8g – int8 ze skalą na każde ``GROUP`` kolejnych liczb wiersza
    (dokładniejsze, ok. 12 % większe od i8r); oba tylko dla macierzy 2D, reszta f16/f32.
    """
    import torch

    if mode == "i8g" and tensor.dim() == 2 and tensor.numel() >= 4096 and tensor.shape[1] % GROUP == 0:
        rows, cols = tensor.shape
        groups = tensor.reshape(rows, cols // GROUP, GROUP)
        scale = groups.abs().amax(dim=2).clamp_min(1e-12) / 127.0
        q = torch.round(groups / scale[..., None]).clamp(-127, 127).to(torch.int8)
        raw = scale.to(torch.float32).numpy().tobytes() + q.numpy().tobytes()
        return "i8g", raw, (q.float() * scale[..., None]).reshape(rows, cols)
    if mode == "i8g":
        mode = "f16"
    if mode == "i8r" and tensor.dim() == 2 and tensor.numel() >= 4096:
        scale = tensor.abs().amax(dim=1).clamp_min(1e-12) / 127.0
        q = torch.round(tensor / scale[:, None]).clamp(-127, 127).to(torch.int8)
        raw = scale.to(torch.float32).numpy().tobytes() + q.numpy().tobytes()
        return "i8r", raw, q.float() * scale[:, None]
    if tensor.dim() == 1 and tensor.numel() <= 4096:
        return "f32", tensor.numpy().tobytes(), tensor.clone()
    half = tensor.to(torch.float16)
    return "f16", half.numpy().tobytes(), half.float()


def pack(raw: bytes) -> bytes:
    """Plik wag: bajty przetasowane (najpierw wszystkie parzyste, potem nieparzyste – w f16 to
    osobno młodsze i starsze bajty, a starsze z wykładnikiem kompresują się dobrze) i gzip.

    Bezstratne: przeglądarka rozpakowuje ``DecompressionStream("gzip")`` i odwraca tasowanie
    (``unshuffle2`` w ``web/model.js``). Zmierzone na małym GPT: 14 % mniej niż surowe f16
    (sam gzip – 8 %). ``mtime=0``: ten sam model daje ten sam plik (i tę samą nazwę).
    """
    import gzip

    assert len(raw) % 2 == 0
    return gzip.compress(raw[0::2] + raw[1::2], 9, mtime=0)


def _probe_ids(tokenizer, context_length: int, n: int = 24) -> list[list[int]]:
    """Konteksty do pomiaru precyzji: fragmenty części odłożonej korpusu różnej długości."""
    from llmkurs.corpus import load_corpus

    text = load_corpus("heldout")
    ids = tokenizer.encode(text, disallowed_special=())
    out = []
    step = max(1, (len(ids) - context_length) // n)
    for i in range(n):
        length = 1 + (i * 7) % context_length
        start = i * step
        out.append(ids[start:start + length] or ids[:1])
    out.append(tokenizer.encode("Oto fragment przykładowego wejścia"))
    return out


def _measure(model, decoded: dict, probes) -> dict:
    """Największa różnica (prawdopodobieństwa przy T = 1 i T = 0,7 z top-k 5, wagi uwagi każdej
    warstwy) i zgodność top-10 modelu z wagami po kodowaniu."""
    import copy

    import torch

    from llmkurs.model import next_token_probs

    other = copy.deepcopy(model)
    with torch.no_grad():
        params = dict(other.named_parameters(remove_duplicate=False))
        for name, value in decoded.items():
            params[name].copy_(value)
    worst, top_same = 0.0, True
    model.set_keep_weights(True)
    other.set_keep_weights(True)
    for ids in probes:
        x = torch.tensor([ids])
        p_ref = next_token_probs(model, x)[0]
        p_new = next_token_probs(other, x)[0]
        worst = max(worst, float((p_ref - p_new).abs().max()))
        # panele pokazują też wagi uwagi i rozkład przy T = 0,7, top-k 5: te same granice
        with torch.no_grad():
            model(x[:, -model.cfg.context_length:])
            other(x[:, -model.cfg.context_length:])
        for a, b in zip(model.attention_weights(), other.attention_weights()):
            worst = max(worst, float((a - b).abs().max()))
        worst = max(worst, float((next_token_probs(model, x, temperature=0.7, top_k=5)
                                  - next_token_probs(other, x, temperature=0.7, top_k=5)).abs().max()))
        ref_top = torch.topk(p_ref, TOP_K_CHECK).indices.tolist()
        new_top = torch.topk(p_new, TOP_K_CHECK).indices.tolist()
        if ref_top != new_top:
            # zamiana miejsc dwóch prawie równych tokenów (różnica < tolerancji) nie jest błędem
            vals = p_ref[ref_top]
            near_tie = set(ref_top) == set(new_top) and bool((vals[:-1] - vals[1:]).min() < PROB_TOL)
            top_same = top_same and near_tie
    return {"max_abs_prob_diff": worst, "top10_identical": top_same, "contexts": len(probes)}


def export_model(out: Path) -> dict:
    import torch

    from llmkurs.model import load_mini_gpt

    model, tokenizer = load_mini_gpt()
    model.eval()
    cfg = _config_dict(model.cfg, model)
    named = list(_tensors(model, cfg["tie_weights"]))
    probes = _probe_ids(tokenizer, cfg["context_length"])
    chosen = None
    tried = []
    # f16 wszędzie; „ff-i8g”/„blocks-i8g” – jak niżej, ale int8 ze skalą na grupę 32 liczb;
    # „ff-i8” – int8 (skala na wiersz) tylko dla warstw sieci jednokierunkowej
    # (⅔ parametrów bloku); „blocks-i8” – int8 ze skalą na wiersz dla macierzy bloków transformera,
    # tabele słownika (tokeny, głowa wyjściowa – od nich zależą logity wprost) w f16; i8r – int8
    # wszędzie. Pierwszy wariant, który mieści się w granicy rozmiaru i prawdopodobieństw, wygrywa.
    vocab_tables = {"emb.tok_emb.weight", "tok_emb.weight", "out_head.weight", "emb.pos_emb.weight", "pos_emb.weight"}

    def tensor_mode(name: str, mode: str) -> str:
        if mode == "ff-i8g":
            return "i8g" if ".ff." in name else "f16"
        if mode == "blocks-i8g":
            return "f16" if name in vocab_tables else "i8g"
        if mode == "ff-i8":
            return "i8r" if ".ff." in name else "f16"
        if mode == "blocks-i8":
            return "f16" if name in vocab_tables else "i8r"
        return mode

    for mode in ("f16", "ff-i8g", "blocks-i8g", "ff-i8", "blocks-i8", "i8r"):
        parts, decoded, meta, offset = [], {}, [], 0
        for name, t in named:
            dtype, raw, dec = _encode(t, tensor_mode(name, mode))
            meta.append({"name": name, "shape": list(t.shape), "dtype": dtype, "offset": offset, "nbytes": len(raw)})
            pad = (-len(raw)) % 4          # każdy tensor od adresu podzielnego przez 4 (Float32Array)
            parts.append(raw + b"\0" * pad)
            offset += len(raw) + pad
            decoded[name] = dec
        if cfg["tie_weights"]:
            decoded["out_head.weight"] = decoded["emb.tok_emb.weight"]
        blob = pack(b"".join(parts))
        m = _measure(model, decoded, probes)
        m.update(mode=mode, bytes=len(blob))
        tried.append(m)
        # zapas ¼ granicy na różnice arytmetyki float32 w JS względem PyTorcha (mierzone: ~1e-6)
        ok = m["top10_identical"] and m["max_abs_prob_diff"] <= 0.75 * PROB_TOL and len(blob) <= MAX_WEIGHTS_BYTES
        if ok:
            chosen = (mode, blob, meta, m)
            break
    if chosen is None:
        sys.exit(f"export: żadna precyzja nie mieści się w granicach zgłoszenia: {tried}")
    mode, blob, meta, m = chosen
    digest = hashlib.sha256(blob).hexdigest()[:16]
    manifest = {
        "config": cfg,
        "n_params": sum(t.numel() for _, t in named),
        "file": f"mini_gpt.{digest}.bin",
        "tensors": meta,
        "precision": {"chosen": mode, "tried": tried},
        "n_vocab": tokenizer.n_vocab,
        "group": GROUP,
        "encoding": "shuffle2+gzip",
    }
    for old in out.glob("mini_gpt.*.bin"):
        old.unlink()
    (out / manifest["file"]).write_bytes(blob)
    (out / "mini_gpt.json").write_text(json.dumps(manifest), encoding="utf-8")
    del torch
    return manifest


# --------------------------------------------------------------------------- wyniki biblioteki dla testów node


def sentences() -> list[str]:
    """Zdania testowe: polskie, angielskie, cyfry, emoji z łącznikami, NFD, długie wklejki."""
    import unicodedata

    from llmkurs.corpus import load_corpus

    base = [
        "Oto fragment przykładowego wejścia",
        "Zażółć gęślą jaźń.",
        "The quick brown fox jumps over the lazy dog.",
        "W 2024 r. było 366 dni, a 3,14159 to liczba π.",
        "Rodzina 👨‍👩‍👧‍👦 i flaga 🏳️‍🌈 oraz 👍🏽!",
        unicodedata.normalize("NFD", "Łódź, żółw, część, źdźbło"),
        "Tekst<|endoftext|>Nowy dokument",
        "<|endoftext|>",
        "   wiele   spacji\n\n\tw\tśrodku  ",
        "I'm sure you'll see it's what we'd've done.",
        "12345678901234567890",
        "a",
        "\u00a0\u2009\u200b",
        "Ω≈ç√∫˜µ≤≥÷ 中文字符 日本語 العربية",
        "kot kot kot",
    ]
    corpus = load_corpus("all")
    lines = [ln.strip() for ln in corpus.splitlines() if len(ln.strip()) > 20]
    step = max(1, len(lines) // 150)
    picked = lines[::step][:150]
    base += picked
    base += [unicodedata.normalize("NFD", ln) for ln in picked[:30]]            # litery rozłożone (NFD)
    base += [ln.upper() for ln in picked[30:50]]
    base += [ln.replace(" ", " 🧑‍💻 ", 1) + " <|endoftext|> " + ln[:20] for ln in picked[50:70]]
    base.append(corpus[:5000])
    base.append(("Długie słowo bez spacji " + "ąęść" * 300)[:1500])
    return base


def export_fixtures(folder: Path, n_model: int = 12) -> None:
    import torch

    from llmkurs.attention import naive_attention
    from llmkurs.data import sliding_window_pairs
    from llmkurs.embeddings import sinusoidal_positions
    from llmkurs.model import load_mini_gpt, next_token_probs, text_to_token_ids
    from llmkurs.tokenizer import polish_tokenizer, tiktoken_encoding

    folder.mkdir(parents=True, exist_ok=True)
    kurs = polish_tokenizer()
    gpt2, gpt4 = tiktoken_encoding("gpt2"), tiktoken_encoding("cl100k_base")
    texts = sentences()
    tok_cases = [{"text": t, "kurs": kurs.encode(t, allowed_special="all"),
                  "gpt2": gpt2.encode(t, allowed_special="all"),
                  "gpt4": gpt4.encode(t, allowed_special="all")} for t in texts]
    merges = [{"text": w, "k": k, "ids": kurs.encode_with_merges(w, k, allowed_special="all")}
              for w in ("przykładowego", "Zażółć gęślą jaźń", "wejścia 2024")
              for k in (0, 1, 10, 100, len(kurs.merges) // 2, len(kurs.merges))]
    pairs = []
    ids = kurs.encode("Oto fragment przykładowego wejścia, a potem jeszcze jedno zdanie.")
    for max_length, stride in ((4, 1), (4, 4), (2, 3)):
        pairs.append({"ids": ids, "max_length": max_length, "stride": stride,
                      "pairs": [list(map(list, p)) for p in sliding_window_pairs(ids, max_length, stride)]})

    model, tokenizer = load_mini_gpt()
    model.eval()
    model.set_keep_weights(True)
    ctx = model.cfg.context_length
    model_cases = []
    for t in texts[:n_model] + [texts[-2]]:
        if not t.strip():
            continue
        x = text_to_token_ids(t, tokenizer)
        probs = next_token_probs(model, x)[0]
        top = torch.topk(probs, 10)
        x_cut = x[:, -ctx:]
        with torch.no_grad():
            model(x_cut)
        att = model.attention_weights()
        emb = model.tok_emb.weight[x_cut[0]].detach()
        _, naive_w = naive_attention(emb[:8])
        model_cases.append({
            "text": t,
            "ids": x[0].tolist(),
            "top": [[int(i), float(p)] for i, p in zip(top.indices, top.values)],
            "probs_t07_k5": next_token_probs(model, x, temperature=0.7, top_k=5)[0].topk(6).values.tolist(),
            "attention_last_layer": att[-1][0].tolist() if x_cut.shape[1] <= 24 else None,
            "attention_first_layer_head0": att[0][0, 0].tolist() if x_cut.shape[1] <= 24 else None,
            "naive_first8": naive_w.tolist(),
        })
    pos = {"sinusoidal": sinusoidal_positions(8, model.cfg.emb_dim).tolist()}
    data = {"tokens": tok_cases, "merges": merges, "pairs": pairs, "model": model_cases,
            "positions": pos, "context_length": ctx, "head_switch": head_switch_cases(model, tokenizer, texts)}
    (folder / "lib_outputs.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def head_switch_cases(model, tokenizer, texts, n: int = 6) -> list[dict]:
    """Rozdział 10: udziały głów (``sentence_head_shares``) i top-10 po wyzerowaniu jednej głowy
    (``zeroed_head`` – ten sam haczyk co ``head_stats``), warstwy i głowy z konfiguracji modelu."""
    import torch

    from llmkurs.model import text_to_token_ids
    from llmkurs.widgets.ch10 import sentence_head_shares, zeroed_head

    cfg = model.cfg
    cases = []
    picks = [t for t in texts if len(t.strip()) > 12][:n]
    for k, t in enumerate(picks):
        x = text_to_token_ids(t, tokenizer)[:, -cfg.context_length:]
        layer, head = k % cfg.n_layers, (3 * k) % cfg.n_heads
        with torch.no_grad():
            base = model(x)[0, -1]
            att = model.attention_weights()[layer][0]
            with zeroed_head(model, layer, head):
                off = model(x)[0, -1]
        p, q = torch.softmax(base, -1), torch.softmax(off, -1)
        shares = [sentence_head_shares(att[h]) for h in range(cfg.n_heads)]
        top = torch.topk(q, 10)
        cases.append({"text": t, "ids": x[0].tolist(), "layer": layer, "head": head,
                      "shares": [None if s is None else [s["previous"], s["first"], s["self"], s["other"]] for s in shares],
                      "top_off": [[int(i), float(v)] for i, v in zip(top.indices, top.values)],
                      "tv": 0.5 * float((p - q).abs().sum())})
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--fixtures", type=Path, default=None, help="katalog na wyniki biblioteki dla testów node")
    parser.add_argument("--no-model", action="store_true", help="tylko tokenizatory (szybko)")
    args = parser.parse_args()
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))
    args.out.mkdir(parents=True, exist_ok=True)
    export_course_tokenizer(args.out)
    export_tiktoken_ranks(args.out)
    if not args.no_model:
        from llmkurs.errors import KursError

        try:
            m = export_model(args.out)
        except KursError as err:        # np. tokenizator wytrenowany od nowa, model jeszcze nie
            for old in [*args.out.glob("mini_gpt.*.bin"), args.out / "mini_gpt.json"]:
                old.unlink(missing_ok=True)
            print(f"export: UWAGA – bez wag małego GPT ({err}); panele modelu pokażą błąd.", file=sys.stderr)
            if args.fixtures:
                sys.exit(1)
            return
        p = m["precision"]["tried"][-1]
        print(f"export: wagi {m['file']} – {p['mode']}, {p['bytes'] / 1e6:.2f} MB, {m['n_params']} parametrów, "
              f"największa różnica prawdopodobieństw {p['max_abs_prob_diff']:.2e}, top-10 te same: {p['top10_identical']}.")
    if args.fixtures:
        export_fixtures(args.fixtures)
        print(f"export: wyniki biblioteki w {args.fixtures}/lib_outputs.json")


if __name__ == "__main__":
    main()
