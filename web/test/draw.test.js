// Ten sam rysunek w JS i w Pythonie (llmkurs.draw): identyczny napis dla tych samych liczb.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { heatmapSvg, tokensHtml, barsHtml, fmt, viridis } from "../draw.js";
import { PYTHON, ROOT } from "./helpers.js";

const CASES = [
  { m: [[0.125, 0.875], [-Infinity, 1]], r: ["Oto", " fragment"], c: ["Oto", " fragment"], o: { title: "Wagi <uwagi>", digits: 2 } },
  { m: [[1.5, -2.25, 3.0005], [0, 0.5, 0.0049]], r: ["a", "b"], c: ["x", "y", "bardzo długa etykieta"], o: { digits: 3 } },
  { m: [[0.5, -Infinity], [0, 2]], r: ["a", "b"], c: ["a", "b"], o: { marks: [[false, true], [true, false]], focusRow: 1, vmin: 0, vmax: 2 } },
  { m: [[0.25, 0.75, 1], [1, 0, 0.5]], r: ["p0", "p1"], c: ["0", "1", "2"], o: { cell: 14, title: "małe" } },
  { m: [[0.5]], r: [""], c: ["🙂‍↔️ñ"], o: { title: "Bardzo długi tytuł nad jedną komórką mapy" } },
  { m: Array.from({ length: 17 }, (_, i) => Array.from({ length: 17 }, (_, j) => Math.sin(i * 17 + j))), r: Array(17).fill("t"), c: Array(17).fill("'q\""), o: {} },
];

test("heatmapSvg i tokensHtml dają ten sam napis co llmkurs.draw", () => {
  const code = `
import json, sys, math
from llmkurs.draw import bars_html, heatmap_svg, tokens_html
cases = json.loads(sys.stdin.read())
out = []
for c in cases["heat"]:
    m = [[float("-inf") if v == "-inf" else v for v in row] for row in c["m"]]
    o = c["o"]
    out.append(heatmap_svg(m, c["r"], c["c"], title=o.get("title", ""), digits=o.get("digits", 2), vmin=o.get("vmin"),
                           vmax=o.get("vmax"), cell=o.get("cell", 36), marks=o.get("marks"), focus_row=o.get("focusRow")))
out.append(tokens_html(cases["tok"]["pieces"], cases["tok"]["ids"], title="Tytuł & co"))
b = cases["bars"]
out.append(bars_html(b["labels"], b["values"], digits=2, title="Sąsiedzi", highlight=1))
print(json.dumps(out))`;
  const payload = {
    heat: CASES.map((c) => ({ ...c, m: c.m.map((row) => row.map((v) => (v === -Infinity ? "-inf" : v))) })),
    tok: { pieces: ["Oto", " frag", "ment\n", "<b>"], ids: [1, 2, 3, 4] },
    bars: { labels: [" kot", "pies", "bardzo długi token"], values: [0.61234, 0.33335, -0.125] },
  };
  const py = JSON.parse(execFileSync(PYTHON, ["-c", code], { input: JSON.stringify(payload), cwd: ROOT }).toString());
  CASES.forEach((c, i) => assert.equal(heatmapSvg(c.m, c.r, c.c, c.o), py[i]));
  assert.equal(tokensHtml(payload.tok.pieces, payload.tok.ids, { title: "Tytuł & co" }), py[CASES.length]);
  assert.equal(barsHtml(payload.bars.labels, payload.bars.values, { digits: 2, title: "Sąsiedzi", highlight: 1 }), py[CASES.length + 1]);
});

test("fmt: przecinek dziesiętny, połówki od zera, nieskończoności", () => {
  assert.equal(fmt(0.125, 2), "0,13");
  assert.equal(fmt(-1.5, 0), "−2");
  assert.equal(fmt(-0.0001, 2), "0,00");
  assert.equal(fmt(-Infinity), "−∞");
  assert.equal(viridis(0), "#440154");
  assert.equal(viridis(1), "#fde725");
});
