#!/usr/bin/env bash
# Biblioteki JavaScript strony kursu – lokalnie, bez CDN.
#
# Strona zbudowana przez Jupyter Book domyślnie ładuje require.js, menedżer widżetów
# (@jupyter-widgets/html-manager) i MathJax z CDN; bez internetu widżety i wzory się nie
# pokazują. Ten skrypt instaluje dokładne wersje z rejestru npm (package.json +
# package-lock.json, `npm ci` w katalogu .cache/js, ignorowanym przez git) i kopiuje to, czego
# strony potrzebują, do _vendor/vendor/ (również ignorowany). `_config.yml` podaje ten katalog
# w `html_extra_path`, więc trafia on do _build/html/vendor/:
#
#   vendor/require.min.js              require.js (zminifikowany przez r.js z pakietu requirejs)
#   vendor/html-manager/embed-amd.js   menedżer widżetów + czcionki, które wczytuje (Font Awesome)
#   vendor/widgets-config.js           ścieżka tych modułów dla require.js (czcionki z vendor/)
#   vendor/mathjax/tex-chtml.js        MathJax 3 z katalogami, które doczytuje (czcionki, rozszerzenia)
#   vendor/plotly.min.js               plotly.js (pakiet częściowy „cartesian”: heatmap, bar, scatter)
#                                      w wersji pakietu plotly (llmkurs.explore); pełny pakiet ma 4,7 MB
#   vendor/js-tiktoken/lite.js         js-tiktoken (moduł ES) – tokenizatory panelu „Na żywo”
#   vendor/live/*.js                   moduły ES kursu z web/ (tokens, model, attention, draw, panels)
#
# Słowniki tokenizatorów i wagi małego GPT dla paneli eksportuje scripts/export_site_data.py
# (do _vendor/live-data/, też ignorowany przez git). axe-core zostaje w .cache/js (test dostępności).
#
# Idempotentny: gdy package-lock.json się nie zmienił, a pliki są na miejscu, kończy się od razu.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache/js
OUT=$ROOT/_vendor/vendor
STAMP=$OUT/.stamp

want=$(cat package.json package-lock.json scripts/vendor_js.sh | sha256sum | cut -d' ' -f1)
if [[ -f $STAMP && $(cat "$STAMP") == "$want" && -f $OUT/require.min.js && -f $OUT/html-manager/embed-amd.js \
      && -f $OUT/mathjax/tex-chtml.js && -f $OUT/plotly.min.js && -f $OUT/widgets-config.js \
      && -f $OUT/js-tiktoken/lite.js && -z $(find web -name '*.js' -newer "$STAMP" -not -path 'web/test/*' | head -1) ]]; then
  echo "vendor: _vendor/vendor/ aktualny."
  exit 0
fi

command -v npm >/dev/null || { echo "vendor: brak npm (Node.js) – zainstaluj go (np. apt-get install npm)." >&2; exit 1; }

# 1. npm ci w katalogu podręcznym (tylko gdy zmienił się plik blokady).
mkdir -p "$CACHE"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $CACHE/.lock-sum || $(cat "$CACHE/.lock-sum") != "$lock_sum" || ! -d $CACHE/node_modules ]]; then
  cp package.json package-lock.json "$CACHE/"
  (cd "$CACHE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$CACHE/.lock-sum"
fi
NM=$CACHE/node_modules

# Sprawdzenie wersji plotly.js z pakietem Pythona (llmkurs.explore rysuje JSON-em tej wersji).
py=${PYTHON:-$ROOT/.venv/bin/python}
if [[ -x $py ]]; then
  pyver=$("$py" -c "from plotly.offline import get_plotlyjs_version as v; print(v())" 2>/dev/null || true)
  jsver=$(node -p "require('$NM/plotly.js-cartesian-dist-min/package.json').version")
  if [[ -n $pyver && $pyver != "$jsver" ]]; then
    echo "vendor: uwaga – plotly (Python) dołącza plotly.js $pyver, a package.json ma $jsver; zmień wersję w package.json." >&2
  fi
fi

# 2. Kopiowanie do _vendor/vendor/ (najpierw do katalogu tymczasowego, potem podmiana).
tmp=$(mktemp -d "$ROOT/_vendor.tmp.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/html-manager" "$tmp/mathjax/output/chtml/fonts" "$tmp/mathjax/input/tex"

# require.js: r.js (z tego samego pakietu) minifikuje go UglifyJS-em.
cp "$NM/requirejs/require.js" "$tmp/require-src.js"
node "$NM/requirejs/bin/r.js" -o baseUrl="$tmp" name=require-src out="$tmp/require.min.js" \
  optimize=uglify skipModuleInsertion=true >/dev/null
rm "$tmp/require-src.js"

# Menedżer widżetów: embed-amd.js i czcionki, które wczytuje obok siebie (publicPath webpacka).
HM=$NM/@jupyter-widgets/html-manager/dist
cp "$HM/embed-amd.js" "$tmp/html-manager/"
find "$HM" -maxdepth 1 -type f \( -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) \
  -exec cp {} "$tmp/html-manager/" \;

# Konfiguracja require.js dla menedżera widżetów: webpack w embed-amd.js liczy adres swoich
# czcionek (Font Awesome) z adresu modułu w require.js, który domyślnie wskazuje katalog strony
# (np. chapters/@jupyter-widgets/...). Kierujemy te moduły do vendor/html-manager/.
# Do tego zgodność z MathJax 3: kontrolki ipywidgets składają wzory w etykietach starym API
# MathJax 2 (MathJax.Hub.Queue), czego MathJax 3 nie ma – bez podkładki każdy widżet z etykietą
# kończy się błędem „Cannot read properties of undefined (reading 'Queue')”.
cat > "$tmp/widgets-config.js" <<'JS'
/* Wygenerowane przez scripts/vendor_js.sh. */
(function () {
  // Moduły menedżera widżetów (i jego czcionki) leżą w vendor/html-manager/.
  var root = document.documentElement.dataset.content_root || "./";
  require.config({paths: {"@jupyter-widgets/html-manager/dist": root + "vendor/html-manager"}});
  // MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]) z MathJax 2 → typesetPromise z MathJax 3.
  function hub() {
    var mj = window.MathJax;
    if (mj && !mj.Hub) {
      mj.Hub = {Queue: function (cmd) {
        var el = cmd && cmd[2];
        if (window.MathJax.typesetPromise) window.MathJax.typesetPromise(el ? [el] : undefined).catch(function () {});
      }};
    }
  }
  hub();
  document.addEventListener("DOMContentLoaded", hub);
  window.addEventListener("load", hub);
})();
JS

# MathJax 3: komponent tex-chtml.js oraz to, co doczytuje w razie potrzeby: czcionki CHTML
# (woff-v2), rozszerzenia TeX (autoload), menu (ui), dostępność (a11y, sre).
MJ=$NM/mathjax/es5
cp "$MJ/tex-chtml.js" "$tmp/mathjax/"
cp -r "$MJ/output/chtml/fonts/woff-v2" "$tmp/mathjax/output/chtml/fonts/"
cp -r "$MJ/input/tex/extensions" "$tmp/mathjax/input/tex/"
cp -r "$MJ/ui" "$MJ/a11y" "$MJ/sre" "$tmp/mathjax/"

# plotly.js: pakiet częściowy „cartesian” (heatmap, bar, scatter – tyle rysuje llmkurs.explore).
cp "$NM/plotly.js-cartesian-dist-min/plotly-cartesian.min.js" "$tmp/plotly.min.js"

# js-tiktoken (moduł ES bez słowników; słowniki podaje scripts/export_site_data.py) i moduły kursu.
mkdir -p "$tmp/js-tiktoken" "$tmp/live"
# dist/lite.js tylko przekazuje dalej klasę z pliku chunk-*.js, który importuje base64-js
# (moduł CommonJS, przeglądarka go nie wczyta): podmieniamy ten import na atob.
chunk=$(sed -n "s/.*from '\.\/\(chunk-[^']*\)'.*/\1/p" "$NM/js-tiktoken/dist/lite.js")
grep -q "^import base64 from 'base64-js';" "$NM/js-tiktoken/dist/$chunk" \
  || { echo "vendor: js-tiktoken zmienił budowę (brak importu base64-js w $chunk) – popraw scripts/vendor_js.sh." >&2; exit 1; }
{ echo "const base64 = {toByteArray: (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))};"
  grep -v "^import base64 from 'base64-js';" "$NM/js-tiktoken/dist/$chunk"; } > "$tmp/js-tiktoken/lite.js"
cp "$ROOT"/web/*.js "$tmp/live/"

# Licencje obok plików.
mkdir -p "$tmp/licenses"
for p in requirejs @jupyter-widgets/html-manager mathjax plotly.js-cartesian-dist-min js-tiktoken; do
  f=$(find "$NM/$p" -maxdepth 1 -iname 'LICENSE*' | head -1)
  [[ -n $f ]] && cp "$f" "$tmp/licenses/$(echo "$p" | tr '/@' '__').txt"
done

echo "$want" > "$tmp/.stamp"
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$tmp" "$OUT"
trap - EXIT
echo "vendor: skopiowano do _vendor/vendor/ ($(du -sh "$OUT" | cut -f1))."
