// Rysunki paneli „Na żywo”: mapa ciepła (SVG) i pasek tokenów (HTML).
//
// Ten sam rysunek robi llmkurs.draw w Pythonie (widżety w jądrze): dla tych samych liczb oba
// zwracają identyczny napis (sprawdza web/test/draw.test.js). Kolory: viridis z 9 punktów
// kontrolnych i interpolacja liniowa (czytelny w skali szarości i dla daltonistów); tekst
// w komórce czarny albo biały zależnie od jasności tła. Liczby z przecinkiem dziesiętnym.

export const TOKEN_COLORS = ["#fde68a", "#a7f3d0", "#bfdbfe", "#fbcfe8", "#ddd6fe", "#fed7aa", "#d9f99d", "#e5e7eb"];

const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

const CELL = 36;
const LABEL_W = 92;
const LABEL_H = 92;
const MAX_LABEL = 10;

export function escapeHtml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

function half(x) { return Math.floor(x + 0.5); }

/** Liczba z `digits` miejscami po przecinku (zaokrąglenie połówek od zera, jak toFixed). */
export function fmt(value, digits = 2) {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? "−∞" : "–";
  let s = Math.abs(value).toFixed(digits);
  if (Number(s) === 0) return s.replace(".", ",");
  return (value < 0 ? "−" : "") + s.replace(".", ",");
}

/** Kolor viridis dla t ∈ [0, 1] jako "#rrggbb". */
export function viridis(t) {
  if (!(t >= 0)) t = 0;
  if (t > 1) t = 1;
  const x = t * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((a, k) => half(a + (VIRIDIS[i + 1][k] - a) * f));
  return "#" + c.map((v) => v.toString(16).padStart(2, "0")).join("");
}

function textColor(hex) {
  const r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "#111827" : "#ffffff";
}

function shortLabel(s) {
  const t = String(s).replace(/ /g, "·").replace(/\n/g, "↵");
  const chars = Array.from(t);
  return chars.length > MAX_LABEL ? chars.slice(0, MAX_LABEL - 1).join("") + "…" : t;
}

/**
 * Mapa ciepła jako SVG: `matrix` – tablica wierszy liczb (±Infinity = zamaskowane, szare „–”),
 * etykiety wierszy i kolumn, tytuł, liczba cyfr; `vmin`/`vmax` (domyślnie min/max skończonych);
 * `marks` – macierz wartości logicznych (białe „×”, np. dropout); `focusRow` – wiersz w czerwonej
 * ramce; `cell` – bok komórki (wartości w komórkach, gdy kolumn ≤ 16 i cell ≥ 28).
 */
export function heatmapSvg(matrix, rowLabels, colLabels, { title = "", digits = 2, vmin = null, vmax = null, cell = CELL, marks = null, focusRow = null } = {}) {
  const rows = matrix.length, cols = rows ? matrix[0].length : 0;
  let lo = Infinity, hi = -Infinity;
  for (const row of matrix) for (const v of row) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo === Infinity) { lo = 0; hi = 1; }
  lo = vmin ?? lo;
  hi = vmax ?? hi;
  const span = hi - lo || 1;
  const cs = Math.trunc(cell);
  // miejsce na etykiety według najdłuższej (najwyżej 10 znaków): krótkie etykiety nie zostawiają pustki
  const longest = (labels, n) => { let m = 1; for (let i = 0; i < n; i++) m = Math.max(m, Array.from(shortLabel(labels[i])).length); return m; };
  const labW = Math.min(LABEL_W, 16 + 7 * (rows ? longest(rowLabels, rows) : 1));
  const labH = Math.min(LABEL_H, 18 + 7 * (cols ? longest(colLabels, cols) : 1));
  const w = Math.max(labW + cols * cs, Math.trunc(Array.from(title).length * 7.5) + 8), h = labH + rows * cs + (title ? 24 : 0);  // tytuł mieści się nad wąską mapą
  const top = title ? 24 : 0;
  const showValues = cols <= 16 && cs >= 28;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="llmkurs-heatmap" role="img" viewBox="0 0 ${w} ${h}" width="${w}" style="max-width:100%;height:auto">`);
  out.push(`<title>${escapeHtml(title || "Mapa ciepła")}</title>`);
  if (title) out.push(`<text x="${w / 2}" y="16" text-anchor="middle" font-size="14" font-weight="600" fill="currentColor">${escapeHtml(title)}</text>`);
  for (let j = 0; j < cols; j++) {
    const x = labW + j * cs + cs / 2, y = top + labH - 6;
    out.push(`<text transform="translate(${x},${y}) rotate(-60)" font-size="12" fill="currentColor">${escapeHtml(shortLabel(colLabels[j]))}</text>`);
  }
  for (let i = 0; i < rows; i++) {
    const y = top + labH + i * cs;
    const ri = escapeHtml(String(rowLabels[i]));
    out.push(`<text x="${labW - 6}" y="${y + cs / 2 + 4}" text-anchor="end" font-size="12" fill="currentColor">${escapeHtml(shortLabel(rowLabels[i]))}</text>`);
    for (let j = 0; j < cols; j++) {
      const v = matrix[i][j];
      const x = labW + j * cs;
      const fin = Number.isFinite(v);
      const dropped = marks !== null && Boolean(marks[i][j]) && fin;
      const fill = dropped ? "#ffffff" : fin ? viridis((v - lo) / span) : "#9ca3af";
      out.push(`<rect x="${x}" y="${y}" width="${cs}" height="${cs}" fill="${fill}"><title>${ri} → ${escapeHtml(String(colLabels[j]))}: ${fmt(v, 4)}</title></rect>`);
      if (showValues) {
        const shown = dropped ? "×" : fin ? fmt(v, digits) : "–";
        out.push(`<text x="${x + cs / 2}" y="${y + cs / 2 + 4}" text-anchor="middle" font-size="10" fill="${fin ? textColor(fill) : "#111827"}">${shown}</text>`);
      }
    }
  }
  if (focusRow !== null && focusRow >= 0 && focusRow < rows) {
    out.push(`<rect x="${labW}" y="${top + labH + focusRow * cs}" width="${cols * cs}" height="${cs}" fill="none" stroke="#dc2626" stroke-width="3"/>`);
  }
  out.push("</svg>");
  return out.join("");
}

/** Tokeny na kolorowych tłach z ID pod spodem (spacja → „·”, nowa linia → „↵”). */
export function tokensHtml(pieces, ids = null, { title = "" } = {}) {
  const parts = [];
  if (title) parts.push(`<div style="font-weight:600;margin:4px 0">${escapeHtml(title)}</div>`);
  parts.push('<div class="llmkurs-tokens" style="line-height:2.4;font-family:monospace;font-size:14px">');
  pieces.forEach((piece, k) => {
    const color = TOKEN_COLORS[k % TOKEN_COLORS.length];
    const shown = escapeHtml(piece.replace(/ /g, "·").replace(/\n/g, "↵"));
    const sub = ids ? `<sub style="color:#374151;font-size:10px">${ids[k]}</sub>` : "";
    parts.push(`<span style="display:inline-block;background:${color};color:#111827;padding:2px 3px;margin:1px;border-radius:3px;white-space:pre">${shown}${sub}</span>`);
  });
  parts.push("</div>");
  return parts.join("");
}

/**
 * Poziome słupki (np. prawdopodobieństwa) jako HTML: długość = wartość / największa (ujemne –
 * zerowy słupek), `highlight` – numer słupka w kolorze pomarańczowym.
 */
export function barsHtml(labels, values, { digits = 3, title = "", highlight = null } = {}) {
  let max = 1e-12;
  for (const v of values) if (v > max) max = v;
  const rows = labels.map((lab, i) => {
    const pct = Math.max(0, 100 * values[i] / max).toFixed(1);
    const color = i === highlight ? "#d97706" : "#3b528b";
    return `<div style="display:flex;align-items:center;gap:6px;margin:2px 0"><span style="min-width:7em;font-family:monospace;white-space:pre">${escapeHtml(shortLabel(lab))}</span>` +
      `<span style="flex:1;min-width:0"><span style="display:block;height:14px;width:${pct}%;background:${color};border-radius:2px"></span></span>` +
      `<span style="font-family:monospace">${fmt(values[i], digits)}</span></div>`;
  });
  return (title ? `<div style="font-weight:600;margin:4px 0">${escapeHtml(title)}</div>` : "") + rows.join("");
}
