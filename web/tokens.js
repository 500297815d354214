// Tokenizacja w przeglądarce (rozdział 1): js-tiktoken z rangami kursu, GPT-2 i GPT-4.
//
// Tokenizator kursu to bajtowy BPE, który scala pary według rang dokładnie jak tiktoken, więc
// js-tiktoken z rangami wyeksportowanymi z `polish_tokenizer()` (scripts/export_site_data.py)
// daje te same ID co `llmkurs`. Jak widżet w jądrze: wpisany tekst `<|endoftext|>` to token
// specjalny. `encodeWithMerges` odtwarza BPE z pierwszymi k scaleniami (suwak scaleń), a
// `slidingWindowPairs` i `prefixPairs` – pary wejście → cel.

/** Tokenizator z klasy `Tiktoken` (js-tiktoken) i danych w jego formacie rang. */
export function makeTokenizer(Tiktoken, data, name = data.name || "bpe") {
  const enc = new Tiktoken(data);
  const inverseSpecial = Object.fromEntries(Object.entries(data.special_tokens || {}).map(([t, i]) => [i, t]));
  return {
    name,
    enc,
    data,
    encode(text) { return enc.encode(text, "all"); },
    tokenBytes(id) { return enc.textMap.get(id) ?? (inverseSpecial[id] !== undefined ? new TextEncoder().encode(inverseSpecial[id]) : new Uint8Array()); },
    piece(id) { return inverseSpecial[id] ?? readablePiece(this.tokenBytes(id)); },
    decode(ids) { return enc.decode(ids); },
  };
}

const STRICT = new TextDecoder("utf-8", { fatal: true });

/** Jak `llmkurs.tokenizer.readable_piece`: tekst albo bajty szesnastkowo „⟨C5⟩”. */
export function readablePiece(bytes) {
  try {
    return STRICT.decode(bytes);
  } catch {
    return "⟨" + Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ") + "⟩";
  }
}

function key(bytes, start, end) {
  let s = "";
  for (let i = start; i < end; i++) s += (i > start ? "," : "") + bytes[i];
  return s;
}

/** Podział bajtów na części BPE: scalaj parę o najniższej randze ≤ maxRank (remis: od lewej). */
export function bpeParts(bytes, rankMap, maxRank = Infinity) {
  const parts = Array.from(bytes, (_, i) => [i, i + 1]);
  for (;;) {
    let best = Infinity, at = -1;
    for (let i = 0; i < parts.length - 1; i++) {
      const r = rankMap.get(key(bytes, parts[i][0], parts[i + 1][1]));
      if (r !== undefined && r <= maxRank && r < best) { best = r; at = i; }
    }
    if (at < 0) break;
    parts.splice(at, 2, [parts[at][0], parts[at + 1][1]]);
  }
  return parts.map(([a, b]) => rankMap.get(key(bytes, a, b)));
}

/** Jak `BPETokenizer.encode_with_merges`: tylko pierwsze `k` scaleń z `merge_rank_order`. */
export function encodeWithMerges(tok, text, k) {
  const order = tok.data.merge_rank_order;
  const kk = Math.max(0, Math.min(k, order.length));
  const maxRank = kk > 0 ? order[kk - 1] : -1;
  const specials = Object.keys(tok.data.special_tokens || {});
  const re = new RegExp(tok.data.pat_str, "gu");
  const out = [];
  const segments = specials.length ? text.split(new RegExp("(" + specials.map((s) => s.replace(/[\\^$*+?.()|[\]{}]/g, "\\$&")).join("|") + ")")) : [text];
  const te = new TextEncoder();
  for (const seg of segments) {
    if (!seg) continue;
    if (seg in (tok.data.special_tokens || {})) { out.push(tok.data.special_tokens[seg]); continue; }
    for (const m of seg.matchAll(re)) out.push(...bpeParts(te.encode(m[0]), tok.enc.rankMap, maxRank));
  }
  return out;
}

/** Okna `max_length` co `stride` (jak `llmkurs.data.sliding_window_pairs`): [[wejście, cel], …]. */
export function slidingWindowPairs(ids, maxLength, stride) {
  const out = [];
  for (let i = 0; i < ids.length - maxLength; i += stride) {
    out.push([ids.slice(i, i + maxLength), ids.slice(i + 1, i + maxLength + 1)]);
  }
  return out;
}

/** Pary z notatek: „Oto → fragment”, „Oto fragment → przykład”, … (kontekst → następny token). */
export function prefixPairs(ids) {
  const out = [];
  for (let i = 1; i < ids.length; i++) out.push([ids.slice(0, i), ids[i]]);
  return out;
}

/** „1 token”, „3 tokeny”, „5 tokenów” (jak `llmkurs.polish.plural_pl`). */
export function pluralPl(n, one, few, many) {
  const word = n === 1 ? one : (n % 10 >= 2 && n % 10 <= 4 && !(n % 100 >= 12 && n % 100 <= 14)) ? few : many;
  return `${n} ${word}`;
}

export function nTokens(n) { return pluralPl(n, "token", "tokeny", "tokenów"); }

/** Liczba znaków (punktów kodowych) na token, z przecinkiem dziesiętnym. */
export function charsPerToken(text, n) {
  return n ? (Array.from(text).length / n).toFixed(2).replace(".", ",") : "–";
}
