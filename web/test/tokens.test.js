// Tokenizatory w JS = llmkurs i tiktoken (ID tokenów dla tych samych tekstów).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { makeTokenizer, encodeWithMerges, slidingWindowPairs, prefixPairs, nTokens } from "../tokens.js";
import { DATA, lib, readJson, Tiktoken } from "./helpers.js";

const L = lib();
const T = await Tiktoken();
const toks = {
  kurs: makeTokenizer(T, readJson(path.join(DATA, "kurs.json")), "kurs"),
  gpt2: makeTokenizer(T, readJson(path.join(DATA, "gpt2.json")), "gpt2"),
  gpt4: makeTokenizer(T, readJson(path.join(DATA, "cl100k_base.json")), "gpt4"),
};

test(`ID tokenów identyczne z biblioteką dla ${L.tokens.length} tekstów i trzech tokenizatorów`, () => {
  assert.ok(L.tokens.length >= 200);
  for (const c of L.tokens) {
    for (const name of ["kurs", "gpt2", "gpt4"]) {
      assert.deepEqual(toks[name].encode(c.text), c[name], `${name}: ${JSON.stringify(c.text.slice(0, 60))}`);
    }
  }
});

test("suwak scaleń: encodeWithMerges = BPETokenizer.encode_with_merges", () => {
  for (const c of L.merges) assert.deepEqual(encodeWithMerges(toks.kurs, c.text, c.k), c.ids, `${c.text} k=${c.k}`);
});

test("pary wejście → cel = llmkurs.data.sliding_window_pairs", () => {
  for (const c of L.pairs) assert.deepEqual(slidingWindowPairs(c.ids, c.max_length, c.stride), c.pairs);
  assert.deepEqual(prefixPairs([5, 6, 7]), [[[5], 6], [[5, 6], 7]]);
});

test("liczebniki po polsku", () => {
  assert.equal(nTokens(1), "1 token");
  assert.equal(nTokens(22), "22 tokeny");
  assert.equal(nTokens(12), "12 tokenów");
});
