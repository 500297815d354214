// Mały GPT kursu w przeglądarce (rozdział 9): przebieg w przód na tablicach Float32Array.
//
// Architektura jak `llmkurs.model.GPTModel` (nazwy tensorów z jego state_dict): osadzenia
// tokenów + pozycji, `n_layers` bloków (LayerNorm → wiele głów uwagi z maską przyczynową →
// połączenie rezydualne; LayerNorm → Linear 4d → GELU (tanh) → Linear → połączenie
// rezydualne), końcowa LayerNorm i `out_head` (przy `tie_weights` – tabela tokenów). Liczby
// warstw, głów, szerokość, kontekst i `qkv_bias` czytamy z konfiguracji eksportu
// (scripts/export_site_data.py), więc nowy model nie wymaga zmian w kodzie.
// Wagi: float16 albo int8 ze skalą na wiersz (wybór pomiarem przy eksporcie), tu odkodowane
// do float32. Dropout pomijamy (tryb ewaluacji).

const F16 = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
    t[h] = e === 0 ? s * f * 2 ** -24 : e === 31 ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * 2 ** (e - 15);
  }
  return t;
})();

/** Odkoduj tensory z bufora wag według manifestu: {nazwa: {shape, data: Float32Array}}. */
export function decodeWeights(manifest, buffer) {
  const out = {};
  for (const t of manifest.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (t.dtype === "f32") data.set(new Float32Array(buffer, t.offset, n));
    else if (t.dtype === "f16") {
      const h = new Uint16Array(buffer, t.offset, n);
      for (let i = 0; i < n; i++) data[i] = F16[h[i]];
    } else if (t.dtype === "i8r") {
      const rows = t.shape[0], cols = n / rows;
      const scale = new Float32Array(buffer, t.offset, rows);
      const q = new Int8Array(buffer, t.offset + 4 * rows, n);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = q[r * cols + c] * scale[r];
    } else if (t.dtype === "i8g") {
      // int8 ze skalą na każdą grupę `group` kolejnych liczb wiersza (scripts/export_site_data.py)
      const G = manifest.group ?? 32, groups = n / G;
      const scale = new Float32Array(buffer, t.offset, groups);
      const q = new Int8Array(buffer, t.offset + 4 * groups, n);
      for (let g = 0; g < groups; g++) { const s = scale[g]; for (let c = 0; c < G; c++) data[g * G + c] = q[g * G + c] * s; }
    } else throw new Error(`Nieznany typ tensora ${t.dtype}`);
    out[t.name] = { shape: t.shape, data };
  }
  return out;
}

function layerNorm(x, T, d, scale, shift) {
  const out = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[t * d + i];
    mean /= d;
    let v = 0;
    for (let i = 0; i < d; i++) { const z = x[t * d + i] - mean; v += z * z; }
    const inv = 1 / Math.sqrt(v / d + 1e-5);
    for (let i = 0; i < d; i++) out[t * d + i] = scale[i] * ((x[t * d + i] - mean) * inv) + shift[i];
  }
  return out;
}

/**
 * y = x Wᵀ + b dla x (T×din), W (dout×din) wierszami. Cztery wiersze W naraz (ten sam odczyt x
 * dla czterech sum): ok. 2× szybciej w V8, a każda suma dodaje składniki w tej samej kolejności
 * co prosta pętla, więc wynik jest identyczny.
 */
function linear(x, T, din, W, b, dout) {
  const y = new Float32Array(T * dout);
  const o4 = dout - (dout % 4);
  for (let t = 0; t < T; t++) {
    const xo = t * din, yo = t * dout;
    for (let o = 0; o < o4; o += 4) {
      const w0 = o * din, w1 = w0 + din, w2 = w1 + din, w3 = w2 + din;
      let s0 = b ? b[o] : 0, s1 = b ? b[o + 1] : 0, s2 = b ? b[o + 2] : 0, s3 = b ? b[o + 3] : 0;
      for (let i = 0; i < din; i++) {
        const xi = x[xo + i];
        s0 += xi * W[w0 + i]; s1 += xi * W[w1 + i]; s2 += xi * W[w2 + i]; s3 += xi * W[w3 + i];
      }
      y[yo + o] = s0; y[yo + o + 1] = s1; y[yo + o + 2] = s2; y[yo + o + 3] = s3;
    }
    for (let o = o4; o < dout; o++) {
      const wo = o * din;
      let s = b ? b[o] : 0;
      for (let i = 0; i < din; i++) s += x[xo + i] * W[wo + i];
      y[yo + o] = s;
    }
  }
  return y;
}

const GELU_C = Math.sqrt(2 / Math.PI);

export class MiniGPT {
  constructor(manifest, tensors) {
    this.cfg = manifest.config;
    this.w = tensors;
    this.nVocab = manifest.n_vocab ?? this.cfg.vocab_size;
  }

  p(name) {
    const t = this.w[name];
    if (!t) throw new Error(`Brak tensora ${name} w pliku wag.`);
    return t.data;
  }

  /** Osadzenia wejścia: tokeny (T×d), pozycje (T×d) i ich suma. */
  embed(ids) {
    const d = this.cfg.emb_dim, T = ids.length;
    const tok = this.p("emb.tok_emb.weight"), pos = this.p("emb.pos_emb.weight");
    const te = new Float32Array(T * d), pe = new Float32Array(T * d), x = new Float32Array(T * d);
    ids.forEach((id, t) => {
      for (let i = 0; i < d; i++) {
        te[t * d + i] = tok[id * d + i];
        pe[t * d + i] = pos[t * d + i];
        x[t * d + i] = te[t * d + i] + pe[t * d + i];
      }
    });
    return { tok: te, pos: pe, x };
  }

  tokenRow(id) {
    const d = this.cfg.emb_dim;
    return this.p("emb.tok_emb.weight").subarray(id * d, (id + 1) * d);
  }

  /** Zapytania i klucze głowy `h` warstwy `layer` dla wejścia tej warstwy (po norm1). */
  queriesKeys(xNorm, T, layer, h) {
    const { emb_dim: d, n_heads: H } = this.cfg, hd = d / H, b = `trf_blocks.${layer}.att.`;
    const bias = (n) => (this.cfg.qkv_bias ? this.p(b + n + ".bias") : null);
    const q = linear(xNorm, T, d, this.p(b + "W_query.weight"), bias("W_query"), d);
    const k = linear(xNorm, T, d, this.p(b + "W_key.weight"), bias("W_key"), d);
    const rows = (m) => Array.from({ length: T }, (_, t) => m.subarray(t * d + h * hd, t * d + (h + 1) * hd));
    return { q: rows(q), k: rows(k) };
  }

  /**
   * Przebieg w przód dla `ids` (najwyżej context_length tokenów). Zwraca logity ostatniej pozycji
   * (albo wszystkich, gdy `allLogits`), wagi uwagi [warstwa][głowa] (T wierszy po T liczb –
   * widoki jednej tablicy Float64Array na głowę) i wejścia każdej warstwy (`hidden`).
   * `upTo` – ostatnia liczona warstwa (od 0): dalszych bloków i logitów wtedy nie liczymy
   * (`logits` = null), co wystarcza panelowi głów. `zeroHead` = {layer, head} zeruje wyjście
   * jednej głowy przed projekcją wyjściową (jak haczyk na out_proj w llmkurs.model.head_stats).
   * `from` = {layer, x} – zacznij od wejścia warstwy `layer` (wcześniejszych warstw nie liczymy).
   */
  forward(ids, { allLogits = false, keepHidden = false, upTo = null, zeroHead = null, from = null } = {}) {
    const { emb_dim: d, n_heads: H, n_layers: L, context_length: C } = this.cfg;
    if (!ids.length) throw new Error("Pusty tekst: wpisz choć jedno słowo.");
    if (ids.length > C) throw new Error(`Model widzi najwyżej ${C} tokenów.`);
    const last = upTo === null ? L - 1 : Math.min(L - 1, Math.max(0, upTo));
    const T = ids.length, hd = d / H, inv = 1 / Math.sqrt(hd);
    // `from` = {layer, x}: zacznij od wejścia warstwy `layer` (np. `hidden` z poprzedniego przebiegu)
    let x = from ? from.x.slice() : this.embed(ids).x;
    const attention = [], hidden = [];
    const ctx = new Float32Array(T * d);
    for (let l = from ? from.layer : 0; l <= last; l++) {
      const b = `trf_blocks.${l}.`;
      if (keepHidden) hidden.push(x.slice());
      const xn = layerNorm(x, T, d, this.p(b + "norm1.scale"), this.p(b + "norm1.shift"));
      const bias = (n) => (this.cfg.qkv_bias ? this.p(b + "att." + n + ".bias") : null);
      const q = linear(xn, T, d, this.p(b + "att.W_query.weight"), bias("W_query"), d);
      const k = linear(xn, T, d, this.p(b + "att.W_key.weight"), bias("W_key"), d);
      const v = linear(xn, T, d, this.p(b + "att.W_value.weight"), bias("W_value"), d);
      ctx.fill(0);
      const heads = [];
      for (let h = 0; h < H; h++) {
        const W = new Float64Array(T * T);
        const off = h * hd;
        for (let i = 0; i < T; i++) {
          const r = i * T, qi = i * d + off;
          let max = -Infinity;
          for (let j = 0; j <= i; j++) {
            const kj = j * d + off;
            let s = 0;
            for (let c = 0; c < hd; c++) s += q[qi + c] * k[kj + c];
            s *= inv;
            W[r + j] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let j = 0; j <= i; j++) { const e = Math.exp(W[r + j] - max); W[r + j] = e; sum += e; }
          const is = 1 / sum;
          if (zeroHead && zeroHead.layer === l && zeroHead.head === h) {
            for (let j = 0; j <= i; j++) W[r + j] *= is;
            continue;
          }
          for (let j = 0; j <= i; j++) {
            const w = (W[r + j] *= is);
            const vj = j * d + off;
            for (let c = 0; c < hd; c++) ctx[qi + c] += w * v[vj + c];
          }
        }
        heads.push(Array.from({ length: T }, (_, i) => W.subarray(i * T, (i + 1) * T)));
      }
      attention.push(heads);
      const att = linear(ctx, T, d, this.p(b + "att.out_proj.weight"), this.p(b + "att.out_proj.bias"), d);
      for (let i = 0; i < T * d; i++) x[i] += att[i];
      const xn2 = layerNorm(x, T, d, this.p(b + "norm2.scale"), this.p(b + "norm2.shift"));
      const hmid = linear(xn2, T, d, this.p(b + "ff.layers.0.weight"), this.p(b + "ff.layers.0.bias"), 4 * d);
      for (let i = 0; i < hmid.length; i++) { const z = hmid[i]; hmid[i] = 0.5 * z * (1 + Math.tanh(GELU_C * (z + 0.044715 * z * z * z))); }
      const ff = linear(hmid, T, 4 * d, this.p(b + "ff.layers.2.weight"), this.p(b + "ff.layers.2.bias"), d);
      for (let i = 0; i < T * d; i++) x[i] += ff[i];
    }
    if (last < L - 1) return { logits: null, attention, hidden, T };
    if (keepHidden) hidden.push(x.slice());
    const rows = allLogits ? T : 1, start = allLogits ? 0 : T - 1;
    const xn = layerNorm(x.subarray(start * d), rows, d, this.p("final_norm.scale"), this.p("final_norm.shift"));
    const logits = this.logitsOf(xn, rows);
    return { logits, attention, hidden, T };
  }

  outHead() {
    return this.cfg.tie_weights ? this.p("emb.tok_emb.weight") : this.p("out_head.weight");
  }

  logitsOf(xn, rows) {
    return linear(xn, rows, this.cfg.emb_dim, this.outHead(), null, this.cfg.vocab_size);
  }

  /** Logity po końcowej LayerNorm dla wektora z dowolnej warstwy („soczewka logitów”). */
  lens(vec) {
    const xn = layerNorm(vec, 1, this.cfg.emb_dim, this.p("final_norm.scale"), this.p("final_norm.shift"));
    return this.logitsOf(xn, 1);
  }

  /** Jak `llmkurs.model.next_token_probs`: ostatnie context_length tokenów, top-k, temperatura. */
  nextTokenProbs(ids, { temperature = 1, topK = null } = {}) {
    const cut = ids.slice(-this.cfg.context_length);
    const { logits } = this.forward(cut);
    return adjustProbs(logits, temperature, topK);
  }
}

/** Softmax(logity / temperatura) po top-k (jak adjust_logits + softmax); temperatura 0 → argmax. */
export function adjustProbs(logits, temperature = 1, topK = null) {
  const V = logits.length;
  const out = new Float64Array(V);
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    out[best] = 1;
    return out;
  }
  let minVal = -Infinity;
  if (topK) {
    const sorted = Float64Array.from(logits).sort();
    minVal = sorted[V - Math.min(topK, V)];
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i] >= minVal && logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < V; i++) {
    out[i] = logits[i] < minVal ? 0 : Math.exp((logits[i] - max) / temperature);
    sum += out[i];
  }
  for (let i = 0; i < V; i++) out[i] /= sum;
  return out;
}

/** `k` największych: [[id, wartość], …] malejąco (remis: mniejszy id pierwszy). */
export function topK(values, k = 10) {
  const idx = Array.from(values.keys());
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, k).map((i) => [i, values[i]]);
}

/** Losowanie z rozkładu `probs` liczbą u ∈ [0, 1). */
export function sample(probs, u) {
  let acc = 0;
  for (let i = 0; i < probs.length; i++) { acc += probs[i]; if (u < acc) return i; }
  return probs.length - 1;
}

/** Podobieństwo kosinusowe wiersza `id` tabeli tokenów do wszystkich: [[id, cos], …] bez samego siebie. */
export function nearestTokens(model, id, k = 8, limit = model.nVocab) {
  const d = model.cfg.emb_dim, tab = model.p("emb.tok_emb.weight");
  const a = tab.subarray(id * d, (id + 1) * d);
  let na = 0;
  for (const v of a) na += v * v;
  na = Math.sqrt(na);
  const sims = new Float64Array(limit);
  for (let j = 0; j < limit; j++) {
    let s = 0, nb = 0;
    for (let i = 0; i < d; i++) { const b = tab[j * d + i]; s += a[i] * b; nb += b * b; }
    sims[j] = s / (Math.max(na, 1e-8) * Math.max(Math.sqrt(nb), 1e-8));
  }
  sims[id] = -Infinity;
  return topK(sims, k);
}

/** Kodowanie sinusoidalne (jak `llmkurs.embeddings.sinusoidal_positions`), wiersze Float32Array. */
export function sinusoidalPositions(n, dim) {
  return Array.from({ length: n }, (_, p) => {
    const row = new Float32Array(dim);
    for (let i = 0; i < dim; i += 2) {
      const angle = p / 10000 ** (i / dim);
      row[i] = Math.sin(angle);
      row[i + 1] = Math.cos(angle);
    }
    return row;
  });
}

/**
 * Odwróć tasowanie bajtów z eksportu (najpierw bajty parzyste, potem nieparzyste): zwraca
 * ArrayBuffer w układzie z manifestu.
 */
export function unshuffle2(bytes) {
  const n = bytes.length, half = n >> 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < half; i++) { out[2 * i] = bytes[i]; out[2 * i + 1] = bytes[half + i]; }
  return out.buffer;
}

/** Wczytaj model z folderu danych (manifest + plik wag o nazwie z sumą kontrolną – cache przeglądarki). */
export async function loadMiniGPT(base) {
  const manifest = await (await fetch(new URL("mini_gpt.json", base))).json();
  const resp = await fetch(new URL(manifest.file, base));
  if (!resp.ok) throw new Error(`Nie udało się wczytać wag modelu (${resp.status}).`);
  let buffer;
  if (manifest.encoding === "shuffle2+gzip") {
    const packed = await new Response(resp.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    buffer = unshuffle2(new Uint8Array(packed));
  } else {
    buffer = await resp.arrayBuffer();
  }
  return new MiniGPT(manifest, decodeWeights(manifest, buffer));
}
