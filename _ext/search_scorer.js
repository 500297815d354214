/*
 * Ocena wyników wyszukiwarki kursu (html_search_scorer; dołącza ją _ext/search_pl.py).
 * Wartości domyślne jak w Sphinksie; dodatkowo strona, której tytuł zawiera wszystkie słowa
 * zapytania (po rdzeniach polskiego stemmera), dostaje +10 – „uwaga przyczynowa” stawia
 * rozdział „6. Uwaga przyczynowa” przed rozdziałami, które tylko wspominają o niej w tekście.
 */
var Scorer = {
  score: function (result) {
    var title = result[1] || "";
    var score = result[4];
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var stemmer = new Stemmer();
    var words = function (text) {
      return text.split(/[^\p{Letter}\p{Number}_]+/u).filter(Boolean).map(function (w) {
        return stemmer.stemWord(w.toLowerCase());
      });
    };
    var asked = words(query);
    if (!asked.length) return score;
    var inTitle = words(title);
    return asked.every(function (w) { return inTitle.indexOf(w) !== -1; }) ? score + 10 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {0: 15, 1: 5, 2: -5},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
