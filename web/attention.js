// Uwaga w przeglądarce (rozdziały 4–8): softmax, uwaga naiwna, skalowana, przyczynowa, dropout.
//
// Macierze to tablice wierszy (Float32Array albo zwykłe tablice). Te same wzory co
// `llmkurs.attention`: softmax z odjęciem maksimum (−∞ = waga 0), wyniki naiwne x·xᵀ,
// skalowane q·kᵀ/√d_k, maska przyczynowa nad przekątną. Dropout losuje z własnego
// generatora z ziarnem (mulberry32) – te same ziarno i p dają tę samą maskę na stronie,
// choć inną niż torch.manual_seed w jądrze.

export function softmaxRow(row) {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  const out = new Float64Array(row.length);
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < row.length; i++) { out[i] = Math.exp(row[i] - max); sum += out[i]; }
  for (let i = 0; i < row.length; i++) out[i] /= sum;
  return out;
}

export function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Wyniki uwagi q·kᵀ (opcjonalnie /√d_k i z maską przyczynową). */
export function scores(queries, keys, { scale = false, causal = false } = {}) {
  const d = queries.length ? queries[0].length : 1;
  const f = scale ? 1 / Math.sqrt(d) : 1;
  return queries.map((q, i) => Array.from(keys, (k, j) => (causal && j > i ? -Infinity : dot(q, k) * f)));
}

/** Uwaga naiwna (rozdział 4): wagi softmax(x·xᵀ) i wektory kontekstu wagi·x. */
export function naiveAttention(x) {
  const weights = scores(x, x).map(softmaxRow);
  return { weights, context: matmul(weights, x) };
}

/** Wagi uwagi softmax(q·kᵀ [/√d_k]) z maską przyczynową lub bez. */
export function attentionWeights(queries, keys, opts = {}) {
  return scores(queries, keys, opts).map(softmaxRow);
}

export function matmul(a, b) {
  const n = b.length ? b[0].length : 0;
  return a.map((row) => {
    const out = new Float64Array(n);
    for (let k = 0; k < row.length; k++) { const w = row[k]; if (w) for (let j = 0; j < n; j++) out[j] += w * b[k][j]; }
    return out;
  });
}

/** Generator liczb losowych z ziarnem (mulberry32): liczby z [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dropout na wagach (rozdział 7): zero z prawdopodobieństwem p, reszta × 1/(1−p). */
export function dropout(weights, p, seed = 123) {
  if (!(p >= 0 && p < 1)) throw new Error("Prawdopodobieństwo dropoutu musi być z przedziału [0, 1).");
  const r = rng(seed);
  return weights.map((row) => Array.from(row, (w) => (r() < p ? 0 : w / (1 - p))));
}

/**
 * Udziały uwagi jednej głowy (wiersze macierzy wag T×T): [poprzedni token, pierwszy token, sam
 * token, inne] – średnie od trzeciego tokenu, jak `llmkurs.model.head_stats` i
 * `llmkurs.widgets.ch10.sentence_head_shares`; null, gdy tokenów jest mniej niż trzy.
 */
export function headShares(rows) {
  const n = rows.length;
  if (n < 3) return null;
  let prev = 0, first = 0, self = 0;
  for (let i = 2; i < n; i++) { prev += rows[i][i - 1]; first += rows[i][0]; self += rows[i][i]; }
  const c = n - 2;
  prev /= c; first /= c; self /= c;
  return [prev, first, self, Math.max(0, 1 - prev - first - self)];
}
