"""Konfiguracja strony kursu bez przeglądarki: _config.yml, _toc.yml, package.json, wyszukiwarka.

Wyszukiwarka po polsku (``_ext/search_pl.py``) ma dwie wersje stemmera: w Pythonie (indeks)
i w JavaScripcie (zapytanie). Sprawdzamy, że dają te same rdzenie (JS uruchamiamy w Node.js)
i że formy jednego słowa trafiają do jednego rdzenia, a różne słowa – nie.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))

import search_pl  # noqa: E402
import site_fixes  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))

WORDS = [
    "osadzenie", "osadzenia", "osadzeniem", "osadzeń", "Osadzeniami", "uwaga", "uwagi", "uwagę",
    "uwagą", "Uwadze", "przyczynowa", "przyczynowej", "przyczynową", "przyczynowy", "tokenizacja",
    "tokenizacji", "token", "tokenów", "Łódź", "żółć", "wejścia", "wejscia", "GPT", "softmax",
    "zdanie", "zdań", "kot", "ab", "", "ĄĘŚĆ", "√d_k", "embedding",
]


def test_sphinx_language_is_polish_under_sphinx_config():
    assert "language" not in CONFIG, "language na górnym poziomie _config.yml jest ignorowane."
    assert CONFIG["sphinx"]["config"]["language"] == "pl"
    assert CONFIG["sphinx"]["config"]["html_search_language"] == "pl"
    assert CONFIG["sphinx"]["local_extensions"] == {"search_pl": "_ext/", "site_fixes": "_ext/", "live_panels": "_ext/"}


def test_javascript_is_served_locally():
    cfg = CONFIG["sphinx"]["config"]
    assert cfg["html_extra_path"] == ["_vendor"]
    assert cfg["mathjax_path"] == "../vendor/mathjax/tex-chtml.js"
    scripts = list(cfg["nb_ipywidgets_js"])
    assert scripts == ["../vendor/require.min.js", "../vendor/widgets-config.js", "../vendor/html-manager/embed-amd.js"]
    assert not any(s.startswith("http") for s in scripts)
    cdn = cfg["nb_ipywidgets_js"]["../vendor/html-manager/embed-amd.js"]["data-jupyter-widgets-cdn"]
    assert not cdn.startswith("http")


def test_launch_buttons():
    launch = CONFIG["launch_buttons"]
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["thebe"] is True
    assert CONFIG["html"]["use_download_button"] is True
    assert CONFIG["repository"]["url"].startswith("https://github.com/")


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        if "root" in node:
            files.append(node["root"])
        for value in node.values():
            files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += _toc_files(item)
    return files


def test_toc_lists_only_existing_pages():
    files = _toc_files(TOC)
    assert files[0] == "intro"
    for name in files:
        assert any((ROOT / f"{name}{ext}").is_file() for ext in (".md", ".ipynb")), f"Brak pliku strony {name}"
    assert len(files) == len(set(files))


def test_plotly_js_version_matches_python_plotly():
    from plotly.offline import get_plotlyjs_version

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    # pakiet częściowy „cartesian” (heatmap, bar, scatter – tyle rysuje llmkurs.explore), ta sama wersja
    assert package["dependencies"]["plotly.js-cartesian-dist-min"] == get_plotlyjs_version()
    for name, version in package["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


@pytest.mark.parametrize("group", [
    ["osadzenie", "osadzenia", "osadzeniem", "osadzeń", "osadzeniami", "Osadzenia"],
    ["uwaga", "uwagi", "uwagę", "uwagą"],
    ["przyczynowa", "przyczynowej", "przyczynową", "przyczynowy", "przyczynowe"],
    ["tokenów", "token", "tokeny", "tokenami"],
    ["wejścia", "wejscia", "WEJŚCIA"],
])
def test_stemmer_groups_inflected_forms(group):
    stems = {search_pl.stem_pl(w) for w in group}
    assert len(stems) == 1, stems


def test_stemmer_keeps_different_words_apart():
    words = ["osadzenie", "uwaga", "przyczynowa", "token", "wektor", "zdanie", "pozycja"]
    assert len({search_pl.stem_pl(w) for w in words}) == len(words)


def test_stemmer_examples_by_hand():
    assert search_pl.stem_pl("osadzeniem") == "osadz"
    assert search_pl.stem_pl("przyczynowej") == "przyczyn"
    assert search_pl.stem_pl("uwagą") == "uwag"
    assert search_pl.stem_pl("kot") == "kot"          # za krótkie, by cokolwiek odciąć
    assert search_pl.fold("Łódź") == "lodz"
    assert search_pl.fold("ŻÓŁĆ") == "zolc"


@pytest.mark.skipif(shutil.which("node") is None, reason="Brak Node.js – nie uruchomię stemmera w JavaScripcie.")
def test_javascript_stemmer_matches_python():
    script = search_pl.JS_STEMMER + (
        "\nconst s = new Stemmer();\n"
        f"const words = {json.dumps(WORDS, ensure_ascii=False)};\n"
        "process.stdout.write(JSON.stringify(words.map(w => s.stemWord(w.toLowerCase()))));\n"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    js = json.loads(out.stdout)
    py = [search_pl.stem_pl(w.lower()) for w in WORDS]
    assert js == py


def test_glossary_parser_and_polish_order(tmp_path):
    import build_glossary

    (tmp_path / "ch02.md").write_text(
        "osadzenie | embedding | Wektor tokenu.\n\nżółw | turtle | Zwierzę |a|·|b| z pancerzem.\n", encoding="utf-8")
    (tmp_path / "ch01.md").write_text("ćma | moth | Owad.\nosadzenie | embedding | Powtórka.\nzebra | zebra | Koń w paski.\n",
                                      encoding="utf-8")
    terms = build_glossary.read_terms(tmp_path)
    assert [(t.polish, t.chapter) for t in terms] == [("ćma", 1), ("osadzenie", 1), ("zebra", 1), ("osadzenie", 2), ("żółw", 2)]
    assert terms[-1].definition == "Zwierzę |a|·|b| z pancerzem."
    text = build_glossary.render(terms)
    body = text.split("```{glossary}")[1]
    order = [line for line in body.splitlines() if line and not line.startswith((" ", "`"))]
    assert order[:5] == ["ćma", "moth", "osadzenie", "embedding", "zebra"]  # „zebra” raz (polski = angielski)
    assert order[-2:] == ["żółw", "turtle"]
    assert text.count("Powtórka.") == 1 and "Wektor tokenu." not in text   # rozdział 1 wprowadza termin


def test_alt_text_from_plot_titles():
    code = (
        'viz.heatmap(w, t, t, title="Wagi uwagi")\n'
        "ax.set_title(f'Zdanie {i}: maska')\n"
        'fig.suptitle("Uwaga przyczynowa")\n'
        'plt.title("Wagi uwagi")\n'
    )
    assert site_fixes._titles_in_code(code) == ["Wagi uwagi", "Zdanie …: maska", "Uwaga przyczynowa"]
    assert site_fixes._titles_in_code("plt.plot([1, 2])") == []
    assert site_fixes._titles_in_code('heatmap(w, title="Wagi: „" + zdanie + "”")') == ["Wagi: …"]
