"""Wyszukiwarka strony kursu po polsku (rozszerzenie Sphinksa).

Sphinx nie ma polskiego języka wyszukiwania: przy ``language: pl`` używa angielskiego
(stemmer Portera), więc „osadzenie” nie znajdowało strony, na której stoi tylko „osadzenia”
albo „osadzeń”, a „uwaga przyczynowa” – strony z „uwagą przyczynową”.

To rozszerzenie rejestruje język ``pl`` z prostym „stemmerem lekkim”:

1. małe litery i zdjęcie znaków diakrytycznych (ą→a, ł→l, ż→z…), więc zapytanie bez
   polskich znaków („wejscia”) też trafia;
2. odcięcie jednej, najdłuższej pasującej końcówki fleksyjnej z listy ``SUFFIXES``, o ile
   zostaje rdzeń o co najmniej ``MIN_STEM`` znakach („osadzeniem” → „osadz”,
   „przyczynowej” → „przyczyn”, „uwagą” → „uwag”).

Ten sam algorytm działa w Pythonie (indeks budowany przez Sphinksa) i w JavaScripcie
(zapytanie czytelnika w przeglądarce) – oba korzystają z tej samej listy końcówek, wpisanej do
kodu JS przy budowie. Kolejność wyników poprawia ``_ext/search_scorer.js`` (strona z wszystkimi
słowami zapytania w tytule idzie wyżej). Test: ``tests/test_site.py`` (wyszukiwanie w przeglądarce) i
``tests/test_book_config.py`` (zgodność obu wersji na liście słów).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from sphinx.search import SearchLanguage

#: Najkrótszy rdzeń, jaki może zostać po odcięciu końcówki.
MIN_STEM = 4

#: Końcówki fleksyjne (bez znaków diakrytycznych), od najdłuższych.
SUFFIXES = tuple(sorted({
    "osciami", "osciach", "osciom", "osci", "osc",
    "owaniami", "owaniach", "owaniem", "owania", "owanie", "owaniu",
    "eniami", "eniach", "eniem", "enia", "enie", "eniu", "en",
    "aniami", "aniach", "aniem", "ania", "anie", "aniu",
    "acjami", "acjach", "acjom", "acja", "acji", "acje",
    "owymi", "owych", "owego", "owemu", "owej", "owym", "owa", "owe", "owy", "owi", "owo", "ow",
    "ymi", "imi", "ych", "ich", "ego", "emu", "ami", "ach", "iem", "om", "ej", "ym", "im", "em",
    "ie", "ia", "iu", "ii",
    "a", "e", "i", "o", "u", "y",
}, key=lambda s: (-len(s), s)))

_EXTRA_FOLD = {"ł": "l", "Ł": "l"}


def fold(word: str) -> str:
    """Małe litery bez znaków diakrytycznych („Uwagą” → „uwaga”, „łódź” → „lodz”)."""
    word = "".join(_EXTRA_FOLD.get(ch, ch) for ch in word.lower())
    decomposed = unicodedata.normalize("NFD", word)
    # Tylko znaki łączące U+0300–U+036F – tak samo jak wyrażenie regularne w wersji JS.
    return "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")


def stem_pl(word: str) -> str:
    """Rdzeń słowa: ``fold`` i odcięcie najdłuższej pasującej końcówki z ``SUFFIXES``."""
    w = fold(word)
    for suffix in SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            return w[: -len(suffix)]
    return w


JS_STEMMER = """
/**
 * Lekki stemmer polski kursu (ten sam algorytm co stem_pl w _ext/search_pl.py).
 */
var Stemmer = function() {
  var SUFFIXES = %(suffixes)s;
  var MIN_STEM = %(min_stem)d;
  this.stemWord = function(w) {
    w = w.toLowerCase().replace(/\u0142/g, "l").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "");
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (w.length - s.length >= MIN_STEM && w.slice(-s.length) === s) return w.slice(0, -s.length);
    }
    return w;
  };
};
""" % {"suffixes": json.dumps(list(SUFFIXES)), "min_stem": MIN_STEM}


class SearchPolish(SearchLanguage):
    """Język wyszukiwania ``pl``: składanie diakrytyków i lekki stemmer (bez słów pomijanych)."""

    lang = "pl"
    language_name = "Polish"
    js_stemmer_code = JS_STEMMER
    stopwords: set[str] = set()

    def stem(self, word: str) -> str:
        return stem_pl(word)


def _use_scorer(app, config) -> None:
    # Kolejność wyników: tytuł z wszystkimi słowami zapytania wyżej (_ext/search_scorer.js).
    if not config.html_search_scorer:
        config.html_search_scorer = str(Path(__file__).with_name("search_scorer.js"))


def setup(app):
    app.add_search_language(SearchPolish)
    app.connect("config-inited", _use_scorer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
