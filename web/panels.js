// Panele „Na żywo” na stronie kursu: każdy element [data-live] liczy krok swojego rozdziału
// w przeglądarce dla tekstu wpisanego przez czytelnika (bez jądra).
//
// HTML paneli (etykiety, pola, suwaki, miejsce na wynik) wstawia rozszerzenie Sphinksa
// _ext/live_panels.py. Ten moduł podłącza je: po każdym zdarzeniu `input` liczy wynik, wpisuje
// go do [data-role=out] (liczby także jako JSON w `data-result`, do testów) i ustawia
// `data-ready="true"`. Słowniki GPT-2/GPT-4 i wagi małego GPT wczytujemy dopiero, gdy czytelnik
// zacznie używać panelu, który ich potrzebuje (raz – potem z pamięci podręcznej przeglądarki).

import { Tiktoken } from "../js-tiktoken/lite.js";
import { makeTokenizer, encodeWithMerges, slidingWindowPairs, prefixPairs, nTokens, charsPerToken, pluralPl } from "./tokens.js";
import { loadMiniGPT, topK, adjustProbs, sample, nearestTokens, sinusoidalPositions } from "./model.js";
import { attentionWeights, naiveAttention, dropout, rng, headShares } from "./attention.js";
import { heatmapSvg, tokensHtml, barsHtml, escapeHtml, fmt } from "./draw.js";

const DATA = new URL("../../live-data/", import.meta.url);
const MAX_CHARS = 20000;
const MAX_SHOWN = 400;
const MAX_MAP = 16;
const EMPTY = "Wpisz zdanie w pole powyżej, np. „Oto fragment przykładowego wejścia”.";

const cache = {};
function once(name, make) { return (cache[name] ??= make()); }
const json = (file) => fetch(new URL(file, DATA)).then((r) => {
  if (!r.ok) throw new Error(`Nie udało się wczytać ${file} (${r.status}).`);
  return r.json();
});
const tokenizer = (name, file) => once(name, () => json(file).then((d) => makeTokenizer(Tiktoken, d, name)));
const kurs = () => tokenizer("kurs", "kurs.json");
const gpt2 = () => tokenizer("gpt2", "gpt2.json");
const gpt4 = () => tokenizer("gpt4", "cl100k_base.json");
const model = () => once("model", () => loadMiniGPT(DATA));

const note = (text) => `<p class="llmkurs-live-note">${escapeHtml(text)}</p>`;

function clip(text) {
  return text.length > MAX_CHARS ? [text.slice(0, MAX_CHARS), `Tekst jest długi: liczę pierwsze ${MAX_CHARS} znaków.`] : [text, ""];
}

/** ID kursu dla modelu: ostatnie context_length tokenów (jak next_token_probs). */
async function modelIds(text) {
  const [tok, m] = await Promise.all([kurs(), model()]);
  const all = tok.encode(text);
  const C = m.cfg.context_length;
  const ids = all.slice(-C);
  const cut = all.length > C ? `Tekst ma ${nTokens(all.length)}, a model widzi najwyżej ${C}: używam ostatnich ${C} tokenów.` : "";
  return { tok, m, all, ids, cut };
}

function lastN(ids, labels, n = MAX_MAP) {
  const s = Math.max(0, ids.length - n);
  return { start: s, ids: ids.slice(s), labels: labels.slice(s), note: s ? `Na rysunku ostatnie ${n} tokenów z ${ids.length}.` : "" };
}

const round = (v, d = 6) => Number(v.toFixed(d));
const matrix = (rows, a, b) => rows.slice(a, b).map((r) => Array.from(r).slice(a, b));

// ------------------------------------------------------------------ obliczenia paneli

const PANELS = {
  async tokens(v, out) {
    const [text, longNote] = clip(v.text);
    const tokenizers = [["kurs", "Tokenizator kursu", await kurs()], ["gpt2", "GPT-2", await gpt2()], ["gpt4", "GPT-4 (cl100k)", await gpt4()]];
    const result = {};
    const blocks = tokenizers.map(([key, label, tok]) => {
      const ids = text ? tok.encode(text) : [];
      result[key] = ids;
      const pieces = ids.slice(0, MAX_SHOWN).map((i) => tok.piece(i));
      const more = ids.length > MAX_SHOWN ? note(`Pokazuję pierwsze ${MAX_SHOWN} z ${ids.length} tokenów.`) : "";
      return `<div class="llmkurs-live-block" data-tokenizer="${key}" data-ids="${escapeHtml(JSON.stringify(ids))}">` +
        `<p><b>${label}</b>: ${nTokens(ids.length)}, ${charsPerToken(text, ids.length)} znaku na token</p>${tokensHtml(pieces, ids.slice(0, MAX_SHOWN))}${more}</div>`;
    });
    out.innerHTML = (text.trim() ? "" : note(EMPTY)) + (longNote ? note(longNote) : "") + blocks.join("");
    return result;
  },

  async merges(v, out) {
    const tok = await kurs();
    const total = tok.data.merge_rank_order.length;
    v.controls.k.max = String(total);
    const word = v.text.slice(0, 200);
    if (!word.trim()) { out.innerHTML = note("Wpisz słowo w pole powyżej, np. „przykładowego”, i przesuń suwak."); return { ids: [] }; }
    const k = Math.min(total, Number(v.k));
    const ids = encodeWithMerges(tok, word, k);
    const bytes = new TextEncoder().encode(word).length;
    out.innerHTML = `<p><b>${nTokens(ids.length)}</b> po ${pluralPl(k, "scaleniu", "scaleniach", "scaleniach")} z ${total} (na początku: ${pluralPl(bytes, "bajt", "bajty", "bajtów")}).</p>` +
      tokensHtml(ids.map((i) => tok.piece(i)), ids);
    return { ids, k };
  },

  async pairs(v, out) {
    const tok = await kurs();
    const [text] = clip(v.text);
    if (!text.trim()) { out.innerHTML = note(EMPTY); return { pairs: [] }; }
    const ids = tok.encode(text);
    const maxLength = Number(v.max_length), stride = Number(v.stride);
    const piece = (i) => tok.piece(i);
    const prefix = prefixPairs(ids).slice(0, 12).map(([ctx, nxt]) =>
      `<li><code>${escapeHtml(tok.decode(ctx))}</code> → <code>${escapeHtml(piece(nxt))}</code></li>`).join("");
    const win = slidingWindowPairs(ids, maxLength, stride);
    const rows = win.slice(0, 8).map(([x, y], n) =>
      `<div class="llmkurs-live-pair"><p>Para ${n + 1}: wejście</p>${tokensHtml(x.map(piece), x)}<p>cel</p>${tokensHtml(y.map(piece), y)}</div>`).join("");
    out.innerHTML = `<p>Zdanie ma ${nTokens(ids.length)}. Kontekst → następny token:</p><ol>${prefix}</ol>` +
      `<p>Okna <code>max_length=${maxLength}</code>, <code>stride=${stride}</code>: ${pluralPl(win.length, "para", "pary", "par")}.</p>` +
      (win.length ? rows : note(`Za mało tokenów na okno długości ${maxLength}: wpisz dłuższe zdanie albo zmniejsz max_length.`));
    return { ids, pairs: win };
  },

  async embedding(v, out) {
    if (!v.text.trim()) { out.innerHTML = note(EMPTY); return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const shown = ids.slice(0, 8);
    const d = m.cfg.emb_dim;
    const rows = shown.map((id) => {
      const nn = nearestTokens(m, id, 5);
      return { id, vec: Array.from(m.tokenRow(id)).slice(0, 8), nn };
    });
    const labels = shown.map((i) => tok.piece(i));
    const map = heatmapSvg(rows.map((r) => r.vec), labels, Array.from({ length: 8 }, (_, i) => `wym. ${i + 1}`), { title: `Pierwsze 8 z ${d} liczb wektora`, digits: 2 });
    const list = rows.map((r, k) => `<li><code>${escapeHtml(labels[k])}</code> (ID ${r.id}): ` +
      r.nn.map(([j, c]) => `<code>${escapeHtml(tok.piece(j))}</code> ${fmt(c, 2)}`).join(", ") + "</li>").join("");
    out.innerHTML = (cut ? note(cut) : "") + map + `<p>Najbliżsi sąsiedzi (podobieństwo kosinusowe w tabeli tokenów wytrenowanego modelu):</p><ul>${list}</ul>`;
    return { ids: shown, vectors: rows.map((r) => r.vec.map((x) => round(x))), neighbours: rows.map((r) => r.nn.map(([j, c]) => [j, round(c)])) };
  },

  async positions(v, out) {
    if (!v.text.trim()) { out.innerHTML = note(EMPTY); return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const e = m.embed(ids);
    const d = m.cfg.emb_dim, D = Math.min(8, d);
    const T = Math.min(ids.length, MAX_MAP);
    const sin = sinusoidalPositions(T, d);
    const learned = v.kind !== "sinusoidal";
    const row = (arr, t) => Array.from(arr.subarray(t * d, t * d + D));
    const tokRows = Array.from({ length: T }, (_, t) => row(e.tok, t));
    const posRows = Array.from({ length: T }, (_, t) => (learned ? row(e.pos, t) : Array.from(sin[t]).slice(0, D)));
    const sumRows = tokRows.map((r, t) => r.map((x, i) => x + posRows[t][i]));
    const labels = ids.slice(0, T).map((i) => tok.piece(i));
    const cols = Array.from({ length: D }, (_, i) => `wym. ${i + 1}`);
    out.innerHTML = (cut ? note(cut) : "") + (ids.length > T ? note(`Na rysunkach pierwsze ${T} tokenów.`) : "") +
      heatmapSvg(tokRows, labels, cols, { title: "Wektory tokenów" }) +
      heatmapSvg(posRows, labels.map((_, t) => `poz. ${t}`), cols, { title: learned ? "Pozycje uczone (model)" : "Pozycje sinusoidalne" }) +
      heatmapSvg(sumRows, labels, cols, { title: "Suma: wejście modelu" });
    return { ids: ids.slice(0, T), kind: learned ? "learned" : "sinusoidal", sum: sumRows.map((r) => r.map((x) => round(x))) };
  },

  async naive(v, out) {
    if (!v.text.trim()) { out.innerHTML = note(EMPTY); return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const use = ids.slice(0, MAX_MAP);
    const x = use.map((id) => m.tokenRow(id));
    const { weights } = naiveAttention(x);
    const labels = use.map((i) => tok.piece(i));
    out.innerHTML = (cut ? note(cut) : "") + (ids.length > use.length ? note(`Liczę dla pierwszych ${use.length} tokenów.`) : "") +
      heatmapSvg(weights, labels, labels, { title: "Wagi uwagi naiwnej: softmax(x·xᵀ)", vmin: 0, vmax: 1 });
    return { ids: use, weights: weights.map((r) => Array.from(r, (w) => round(w))) };
  },

  async scaled(v, out) { return qk(v, out, { causal: false }); },
  async causal(v, out) { return qk(v, out, { causal: v.causal !== false }); },
  async dropout(v, out) { return qk(v, out, { causal: true, p: Number(v.p), seed: Number(v.seed) }); },

  async heads(v, out) {
    if (!v.text.trim()) { out.innerHTML = note(EMPTY); return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const layer = layerSelect(v.controls.layer, m);
    const { attention } = headsForward(m, ids, layer);
    const w = lastN(ids, ids.map((i) => tok.piece(i)));
    // Kilka map naraz jako obrazki SVG: ten sam rysunek (heatmapSvg), ale przeglądarka nie buduje
    // tysięcy elementów DOM (zmierzone: 4 mapy 16×16 w drzewie strony 25–50 ms, jako obrazki ok. 2 ms).
    const color = getComputedStyle(out).color;
    const maps = attention[layer].map((head, h) => {
      const m2 = matrix(head, w.start, ids.length);
      const svg = heatmapSvg(m2, w.labels, w.labels, { title: `Warstwa ${layer + 1}, głowa ${h + 1}`, vmin: 0, vmax: 1 });
      const lastRow = m2[m2.length - 1];
      const best = lastRow.indexOf(Math.max(...lastRow));
      const alt = `Mapa wag uwagi: warstwa ${layer + 1}, głowa ${h + 1}; wiersz – token, który pyta, kolumna – token, na który patrzy. ` +
        `Ostatni token „${w.labels[w.labels.length - 1]}” patrzy najmocniej na „${w.labels[best]}” (${fmt(lastRow[best], 2)}).`;
      return `<div class="llmkurs-live-head"><img class="llmkurs-live-map" alt="${escapeHtml(alt)}" src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.replaceAll("currentColor", color))}"></div>`;
    }).join("");
    out.innerHTML = (cut ? note(cut) : "") + (w.note ? note(w.note) : "") + `<div class="llmkurs-live-heads">${maps}</div>`;
    await Promise.all([...out.querySelectorAll("img.llmkurs-live-map")].map((img) => img.decode().catch(() => null)));
    return { ids, layer, weights: attention[layer].map((head) => head.map((r) => Array.from(r, (x) => round(x)))) };
  },

  async "head-switch"(v, out) {
    if (!v.text.trim()) { out.innerHTML = note("Wpisz zdanie – choć jedno słowo, po którym model przewidzi następny token."); return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const layer = layerSelect(v.controls.layer, m);
    const head = fillSelect(v.controls.head, m.cfg.n_heads);
    const off = v.off !== false;
    const base = m.forward(ids, { keepHidden: true });
    const shares = base.attention[layer].map((rows) => headShares(rows));
    const result = { ids, layer, head, shares, top: topK(adjustProbs(base.logits, 1, null), 10).map(([i, p]) => [i, round(p, 8)]) };
    const labels = ids.map((i) => tok.piece(i));
    const kinds = ["poprzedni", "pierwszy", "sam", "inne"];
    const table = shares[0] === null
      ? note(`Zdanie ma ${nTokens(ids.length)}: udziały poprzedni/pierwszy/sam liczymy od trzeciego tokenu – wpisz dłuższe zdanie.`)
      : `<table class="llmkurs-live-table"><caption>Warstwa ${layer + 1}: gdzie patrzy każda głowa na Twoim zdaniu – średni udział uwagi (od 3. tokenu) na poprzednim tokenie, pierwszym tokenie, sobie samym i reszcie; ▶ – wybrana głowa</caption>` +
        `<thead><tr><th scope="col">głowa</th>${kinds.map((k) => `<th scope="col">${k}</th>`).join("")}<th scope="col">rodzaj</th></tr></thead><tbody>` +
        shares.map((sh, h) => {
          const best = sh.indexOf(Math.max(...sh));
          const cells = sh.map((x) => `<td>${fmt(x, 2)}</td>`).join("") + `<td>${kinds[best]}</td>`;
          const mine = h === head;
          return `<tr${mine ? ' class="llmkurs-live-chosen"' : ""}><th scope="row">${mine ? "▶ " : ""}${h + 1}</th>${cells}</tr>`;
        }).join("") + "</tbody></table>";
    const w = lastN(ids, labels);
    const map = heatmapSvg(matrix(base.attention[layer][head], w.start, ids.length), w.labels, w.labels, { title: `Warstwa ${layer + 1}, głowa ${head + 1}`, vmin: 0, vmax: 1 });
    let after = "";
    if (off) {
      // warstwy przed wyłączoną głową są takie same: liczymy od jej wejścia
      const zero = m.forward(ids, { zeroHead: { layer, head }, from: { layer, x: base.hidden[layer] } });
      const p = adjustProbs(base.logits, 1, null), q = adjustProbs(zero.logits, 1, null);
      let tv = 0;
      for (let i = 0; i < p.length; i++) tv += Math.abs(p[i] - q[i]);
      tv /= 2;
      const topOff = topK(q, 10);
      result.topOff = topOff.map(([i, x]) => [i, round(x, 8)]);
      result.tv = round(tv, 8);
      const same = topOff[0][0] === result.top[0][0];
      after = `<p>${same ? "Najbardziej prawdopodobny następny token się nie zmienia" : `Najbardziej prawdopodobny następny token zmienia się z „${escapeHtml(tok.piece(result.top[0][0]))}” na „${escapeHtml(tok.piece(topOff[0][0]))}”`}; ` +
        `rozkład następnego tokenu przesuwa się o ${fmt(tv, 3)} (połowa sumy |p − q|: 0 = bez zmian, 1 = zupełnie inny rozkład).</p>` +
        `<div class="llmkurs-live-heads"><div class="llmkurs-live-head">${barsHtml(result.top.map(([i]) => tok.piece(i)), result.top.map(([, x]) => x), { title: "Następny token: wszystkie głowy" })}</div>` +
        `<div class="llmkurs-live-head">${barsHtml(topOff.map(([i]) => tok.piece(i)), topOff.map(([, x]) => x), { title: `Bez głowy ${head + 1} warstwy ${layer + 1}` })}</div></div>`;
    } else {
      after = barsHtml(result.top.map(([i]) => tok.piece(i)), result.top.map(([, x]) => x), { title: "Następny token: wszystkie głowy" });
    }
    out.innerHTML = (cut ? note(cut) : "") + (w.note ? note(w.note) : "") + table + map + after;
    return result;
  },

  async "next-token"(v, out) {
    const top = v.panel.querySelector("[data-top]");
    if (!v.text.trim()) { out.innerHTML = note("Wpisz początek zdania, np. „Oto fragment”, a model zgadnie następny token."); top.dataset.top = "[]"; return {}; }
    const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
    const t0 = performance.now();
    const { logits, hidden } = m.forward(ids, { keepHidden: true });
    const ms = performance.now() - t0;
    const p1 = adjustProbs(logits, 1, null);
    const top10 = topK(p1, 10);
    top.dataset.top = JSON.stringify(top10.map(([i, p]) => [i, Number(p.toPrecision(8))]));
    const temperature = Number(v.temperature), k = Number(v.top_k) || null;
    const adj = adjustProbs(logits, temperature, k);
    const shown = topK(adj, 10);
    const bars = barsHtml(shown.map(([i]) => tok.piece(i)), shown.map(([, p]) => p), { title: `Następny token (temperatura ${fmt(temperature, 1)}${k ? `, top-k ${k}` : ""})` });
    const path = hidden.map((h, l) => {
      const vec = h.subarray((ids.length - 1) * m.cfg.emb_dim, ids.length * m.cfg.emb_dim);
      const [[best, p]] = topK(adjustProbs(m.lens(vec), 1, null), 1);
      return `<li>${l === 0 ? "wejście (osadzenia)" : `po bloku ${l}`}: <code>${escapeHtml(tok.piece(best))}</code> (${fmt(p, 3)})</li>`;
    }).join("");
    top.innerHTML = bars;
    out.innerHTML = (cut ? note(cut) : "") + `<p class="llmkurs-live-note">Jeden krok modelu: ${fmt(ms, 0)} ms.</p>` +
      `<details><summary>Droga zdania przez model: najbardziej prawdopodobny token po każdym bloku</summary><ol>${path}</ol></details>`;
    return { ids, top: top10 };
  },
};

/** Lista warstw w <select> według konfiguracji modelu; zwraca wybraną warstwę (od 0). */
function layerSelect(sel, m) { return fillSelect(sel, m.cfg.n_layers); }

/** <select> z opcjami 1…n (wartości od 0); wybór czytelnika zostaje, jeśli mieści się w zakresie. */
function fillSelect(sel, n) {
  const keep = Number(sel.value || 0);
  if (sel.options.length !== n) {
    sel.innerHTML = Array.from({ length: n }, (_, i) => `<option value="${i}">${i + 1}</option>`).join("");
    sel.value = String(Math.min(n - 1, keep));
  }
  return Math.min(n - 1, Number(sel.value || 0));
}

/** Wagi głów do warstwy `layer` włącznie, z pamięcią ostatniego tekstu (zmiana warstwy w dół nic nie liczy). */
let headsCache = null;
function headsForward(m, ids, layer) {
  const key = ids.join(",");
  if (headsCache && headsCache.key === key && headsCache.model === m && headsCache.upTo >= layer) return headsCache.result;
  const result = m.forward(ids, { upTo: layer });
  headsCache = { key, model: m, upTo: layer, result };
  return result;
}

async function qk(v, out, { causal, p = null, seed = 123 }) {
  if (!v.text.trim()) { out.innerHTML = note(EMPTY); return {}; }
  const { tok, m, ids, cut } = await modelIds(clip(v.text)[0]);
  const d = m.cfg.emb_dim, hd = d / m.cfg.n_heads;
  const x = m.embed(ids).x;
  const scaleOn = v.scale !== false;
  const b = "trf_blocks.0.norm1.";
  const xn = layerNormRows(x, ids.length, d, m.p(b + "scale"), m.p(b + "shift"));
  const { q, k } = m.queriesKeys(xn, ids.length, 0, 0);
  let weights = attentionWeights(q, k, { scale: scaleOn, causal });
  let title = `Wagi: softmax(q·kᵀ${scaleOn ? ` / √${hd}` : ""})${causal ? " z maską przyczynową" : ""}`;
  if (p !== null) {
    weights = dropout(weights, p, seed);
    title = `Dropout p = ${fmt(p, 2)} (ziarno ${seed}) na wagach z maską`;
  }
  const w = lastN(ids, ids.map((i) => tok.piece(i)));
  out.innerHTML = (cut ? note(cut) : "") + (w.note ? note(w.note) : "") +
    `<p>Warstwa 1, głowa 1 wytrenowanego modelu: d<sub>k</sub> = ${hd}.</p>` +
    heatmapSvg(matrix(weights, w.start, ids.length), w.labels, w.labels, { title, vmin: 0, vmax: p ? Math.max(1, 1 / (1 - p)) : 1 });
  return { ids, weights: weights.map((r) => Array.from(r, (x) => round(x))) };
}

function layerNormRows(x, T, d, scale, shift) {
  const out = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    let mean = 0, v = 0;
    for (let i = 0; i < d; i++) mean += x[t * d + i];
    mean /= d;
    for (let i = 0; i < d; i++) v += (x[t * d + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + 1e-5);
    for (let i = 0; i < d; i++) out[t * d + i] = scale[i] * (x[t * d + i] - mean) * inv + shift[i];
  }
  return out;
}

// ------------------------------------------------------------------ podłączenie

function values(panel) {
  const v = { panel, controls: {} };
  panel.querySelectorAll("[data-role]").forEach((el) => {
    const role = el.dataset.role;
    if (role === "out") return;
    v.controls[role] = el;
    v[role] = el.type === "checkbox" ? el.checked : el.value;
    const shown = panel.querySelector(`output[for="${el.id}"]`);
    if (shown) shown.textContent = el.type === "range" && el.step && el.step.includes(".") ? fmt(Number(el.value), 2) : el.value;
  });
  v.text = (v.text ?? "").normalize ? v.text : "";
  return v;
}

function mount(panel) {
  const kind = panel.dataset.live;
  const compute = PANELS[kind];
  const out = panel.querySelector("[data-role=out]");
  if (!compute || !out) return;
  let version = 0;
  const needsBig = kind !== "merges" && kind !== "pairs";
  const update = async () => {
    const mine = ++version;
    panel.dataset.ready = "false";
    panel.setAttribute("aria-busy", "true");
    try {
      const result = await compute(values(panel), out);
      if (mine !== version) return;
      out.dataset.result = JSON.stringify(result ?? {});
    } catch (err) {
      if (mine !== version) return;
      out.innerHTML = note(err && err.message ? err.message : "Coś poszło nie tak: zmień tekst i spróbuj jeszcze raz.");
      out.dataset.result = "{}";
    }
    if (mine === version) { panel.dataset.ready = "true"; panel.removeAttribute("aria-busy"); }
  };
  panel.addEventListener("input", update);
  // Mapy jako obrazki SVG mają kolor etykiet z chwili rysowania: po zmianie motywu rysujemy je jeszcze raz.
  if (typeof MutationObserver !== "undefined") {
    new MutationObserver(() => { if (out.querySelector("img.llmkurs-live-map")) update(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }
  panel.addEventListener("change", (e) => { if (e.target.tagName === "SELECT" || e.target.type === "checkbox") update(); });
  const start = panel.querySelector("[data-role=start]");
  if (start) start.addEventListener("click", update);
  const gen = panel.querySelector("[data-role=generate]");
  if (gen) gen.addEventListener("click", () => generate(panel).then(update));
  if (needsBig) {
    out.innerHTML = note(kind === "tokens"
      ? "Zacznij pisać albo kliknij „Policz”: wczytam słowniki GPT-2 i GPT-4 (ok. 1,6 MB) i pokażę tokeny."
      : "Zacznij pisać albo kliknij „Policz”: wczytam mały GPT kursu (kilka MB, raz) i policzę ten krok dla Twojego zdania.");
    panel.dataset.ready = "true";
  } else {
    update();
  }
}

/** Generowanie token po tokenie: dopisuje do pola tekstowego kolejne tokeny modelu. */
async function generate(panel) {
  const area = panel.querySelector("[data-role=text]");
  const n = Number(panel.querySelector("[data-role=steps]")?.value || 10);
  const temperature = Number(panel.querySelector("[data-role=temperature]").value);
  const k = Number(panel.querySelector("[data-role=top_k]").value) || null;
  const seed = Number(panel.querySelector("[data-role=seed]")?.value || 123);
  const [tok, m] = await Promise.all([kurs(), model()]);
  if (!area.value.trim()) return;
  let ids = tok.encode(area.value);
  const r = rng(seed);
  for (let s = 0; s < n; s++) {
    const probs = m.nextTokenProbs(ids, { temperature, topK: k });
    const next = temperature === 0 ? topK(probs, 1)[0][0] : sample(probs, r());
    ids = ids.concat([next]);
    area.value = tok.decode(ids);
    await new Promise((res) => setTimeout(res, 0));
  }
}

export function mountAll(root = document) {
  root.querySelectorAll("[data-live]").forEach(mount);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
  else mountAll();
}
