// Mały GPT w JS = llmkurs.model (float32) w granicach zgłoszenia: top-10 te same, różnica ≤ 2e-3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { MiniGPT, decodeWeights, topK, adjustProbs, sinusoidalPositions, unshuffle2 } from "../model.js";
import { naiveAttention, dropout, attentionWeights, headShares } from "../attention.js";
import { DATA, lib, readJson } from "./helpers.js";

const TOL = 2e-3;
const L = lib();
const manifest = readJson(path.join(DATA, "mini_gpt.json"));
const file = readFileSync(path.join(DATA, manifest.file));
// plik wag: bajty przetasowane i gzip (scripts/export_site_data.py pack) – jak loadMiniGPT w przeglądarce
const raw = manifest.encoding === "shuffle2+gzip" ? unshuffle2(new Uint8Array(gunzipSync(file)))
  : file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
const model = new MiniGPT(manifest, decodeWeights(manifest, raw));

function sameTop(got, want, what) {
  // Kolejność może się różnić tylko między tokenami, których prawdopodobieństwa dzieli mniej niż TOL.
  assert.deepEqual(new Set(got.map((x) => x[0])), new Set(want.map((x) => x[0])), what);
  want.forEach(([id, p], i) => {
    const g = got.find((x) => x[0] === id);
    assert.ok(Math.abs(g[1] - p) <= TOL, `${what}: token ${id} ${g[1]} vs ${p}`);
    if (got[i][0] !== id) assert.ok(Math.abs(got[i][1] - p) <= TOL, `${what}: kolejność na miejscu ${i}`);
  });
}

test(`następny token: ${L.model.length} tekstów, top-10 i prawdopodobieństwa jak w bibliotece`, () => {
  for (const c of L.model) {
    const probs = model.nextTokenProbs(c.ids);
    sameTop(topK(probs, 10), c.top, JSON.stringify(c.text.slice(0, 40)));
    const t = model.forward(c.ids.slice(-model.cfg.context_length)).logits;
    const p2 = topK(adjustProbs(t, 0.7, 5), 6).map((x) => x[1]);
    p2.forEach((p, i) => assert.ok(Math.abs(p - c.probs_t07_k5[i]) <= TOL, "temperatura 0,7 i top-k 5"));
  }
});

test("wagi uwagi każdej głowy = model.attention_weights() biblioteki", () => {
  for (const c of L.model) {
    if (!c.attention_last_layer) continue;
    const { attention } = model.forward(c.ids);
    const last = attention[attention.length - 1];
    c.attention_last_layer.forEach((head, h) => head.forEach((row, i) => row.forEach((w, j) => {
      assert.ok(Math.abs((last[h][i][j] ?? 0) - w) <= TOL, `głowa ${h} [${i},${j}]`);
    })));
    // rozdział 5–6: głowa 0 warstwy 0 z zapytań i kluczy = to samo, co w modelu
    c.attention_first_layer_head0.forEach((row, i) => row.forEach((w, j) => assert.ok(Math.abs((attention[0][0][i][j] ?? 0) - w) <= TOL)));
  }
});

test("uwaga naiwna na wytrenowanych osadzeniach = llmkurs.attention.naive_attention", () => {
  for (const c of L.model) {
    const ids = c.ids.slice(-model.cfg.context_length).slice(0, 8);
    const x = ids.map((id) => model.tokenRow(id));
    const { weights } = naiveAttention(x);
    c.naive_first8.forEach((row, i) => row.forEach((w, j) => assert.ok(Math.abs(weights[i][j] - w) <= TOL, `[${i},${j}] ${weights[i][j]} vs ${w}`)));
  }
});

test("pozycje sinusoidalne = llmkurs.embeddings.sinusoidal_positions", () => {
  const want = L.positions.sinusoidal;
  const got = sinusoidalPositions(want.length, want[0].length);
  want.forEach((row, p) => row.forEach((v, i) => assert.ok(Math.abs(got[p][i] - v) < 1e-6)));
});

test("dropout: zera albo w/(1−p), to samo ziarno – ta sama maska; przyczynowa maska daje 0 nad przekątną", () => {
  const w = attentionWeights([[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]], { scale: true, causal: true });
  assert.equal(w[0][1], 0);
  const a = dropout(w, 0.5, 7), b = dropout(w, 0.5, 7);
  assert.deepEqual(a, b);
  a.forEach((row, i) => row.forEach((v, j) => assert.ok(v === 0 || Math.abs(v - w[i][j] * 2) < 1e-12)));
});

test("konfiguracja z eksportu: model czyta warstwy, głowy i kontekst z GPTConfig", () => {
  assert.equal(model.cfg.context_length, L.context_length);
  assert.equal(manifest.tensors.filter((t) => t.name.endsWith("att.W_query.weight")).length, model.cfg.n_layers);
});

test("panel głów: liczenie do wybranej warstwy daje te same wagi co cały przebieg, bez logitów", () => {
  const ids = L.model[0].ids.slice(-model.cfg.context_length);
  const full = model.forward(ids);
  for (let l = 0; l < model.cfg.n_layers; l++) {
    const part = model.forward(ids, { upTo: l });
    assert.equal(part.attention.length, l + 1);
    assert.equal(l === model.cfg.n_layers - 1 ? part.logits !== null : part.logits === null, true);
    part.attention[l].forEach((head, h) => head.forEach((row, i) => row.forEach((w, j) => assert.equal(w, full.attention[l][h][i][j]))));
  }
});

test(`rozdział 10: ${L.head_switch.length} zdań – udziały głów i następny token bez jednej głowy jak w bibliotece`, () => {
  for (const c of L.head_switch) {
    const base = model.forward(c.ids);
    base.attention[c.layer].forEach((rows, h) => {
      const got = headShares(rows), want = c.shares[h];
      if (want === null) { assert.equal(got, null); return; }
      want.forEach((x, k) => assert.ok(Math.abs(got[k] - x) <= TOL, `głowa ${h}, udział ${k}: ${got[k]} vs ${x}`));
    });
    const off = model.forward(c.ids, { zeroHead: { layer: c.layer, head: c.head } });
    // start od wejścia warstwy (jak panel rozdziału 10) daje te same logity co cały przebieg
    const hidden = model.forward(c.ids, { keepHidden: true }).hidden;
    const fromLayer = model.forward(c.ids, { zeroHead: { layer: c.layer, head: c.head }, from: { layer: c.layer, x: hidden[c.layer] } });
    assert.deepEqual(Array.from(fromLayer.logits), Array.from(off.logits));
    const p = adjustProbs(base.logits, 1, null), q = adjustProbs(off.logits, 1, null);
    sameTop(topK(q, 10), c.top_off, `bez głowy ${c.head} warstwy ${c.layer}: ${c.text.slice(0, 30)}`);
    let tv = 0;
    for (let i = 0; i < p.length; i++) tv += Math.abs(p[i] - q[i]);
    assert.ok(Math.abs(tv / 2 - c.tv) <= TOL, `odległość rozkładów ${tv / 2} vs ${c.tv}`);
  }
});

test("plik wag: tasowanie bajtów odwracalne, rozmiar po kompresji ≤ 8 MB", () => {
  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i * 7);
  const shuffled = Uint8Array.from([...bytes.filter((_, i) => i % 2 === 0), ...bytes.filter((_, i) => i % 2 === 1)]);
  assert.deepEqual(new Uint8Array(unshuffle2(shuffled)), bytes);
  assert.ok(file.length <= 8_000_000, `plik wag ${file.length} B`);
});
