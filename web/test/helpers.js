// Wspólne dla testów node: ścieżki, wyniki biblioteki (eksportowane przy każdym `make node`).
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PYTHON = process.env.PYTHON || path.join(ROOT, ".venv/bin/python");
export const DATA = process.env.LIVE_DATA || path.join(ROOT, "_vendor/live-data");
export const FIXTURES = process.env.LIVE_FIXTURES || path.join(ROOT, ".cache/site-fixtures");
export const NODE_MODULES = path.join(ROOT, ".cache/js/node_modules");

export function readJson(file) {
  if (!existsSync(file)) {
    throw new Error(`Brak ${file}: uruchom make node (eksport: python scripts/export_site_data.py --fixtures .cache/site-fixtures).`);
  }
  return JSON.parse(readFileSync(file, "utf-8"));
}

export function lib() { return readJson(path.join(FIXTURES, "lib_outputs.json")); }

export async function Tiktoken() {
  const mod = await import(path.join(NODE_MODULES, "js-tiktoken/dist/lite.js"));
  return mod.Tiktoken;
}
