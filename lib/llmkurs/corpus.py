"""Korpus kursu: oryginalna polska proza napisana dla tego projektu (rozdział 1 i dalej).

Teksty leżą w pakiecie (``llmkurs/resources/corpus/*.txt``, UTF-8, Unicode NFC) i są
udostępnione na tej samej licencji co kurs (CC BY 4.0). Podział jest stały: pliki wymienione
w :data:`HELDOUT_FILES` tworzą część odłożoną (ang. *held-out*), na której nie trenuje się
żaden tokenizer ani model kursu – służy tylko do mierzenia.

:func:`download_book` to opcjonalne pobieranie książki z Wolnych Lektur (domena publiczna);
kurs działa bez niego.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

from llmkurs.errors import KursError, require, require_type

#: Pliki korpusu odłożone do pomiarów (nie trenujemy na nich): całe dokumenty, co najmniej jeden
#: z każdego rejestru (drugi dokument rejestru, w trzech największych także szósty), razem ok. 12 %.
HELDOUT_FILES = (
    "06-dzien-w-szkole.txt",
    "12-ogrod-i-pory-roku.txt",
    "basnie-02-uczen-zegarmistrza.txt",
    "dialogi-02-u-mechanika.txt",
    "historia-geografia-02-piastowie-w-zarysie.txt",
    "humor-02-lodowka-ktora-wie-lepiej.txt",
    "listy-dzienniki-02-zakopane-szczecin.txt",
    "nauka-technika-02-fazy-ksiezyca.txt",
    "o-jezyku-02-przypadki-na-liscie-zakupow.txt",
    "opisy-02-lodzkie-fabryki-lofty.txt",
    "opowiadania-02-lody-w-sopocie.txt",
    "podroze-02-bieszczady-w-pazdzierniku.txt",
    "poradniki-02-zurek-na-zakwasie.txt",
    "sport-02-skoki-zakopane.txt",
    "urzedowe-02-porzadek-domowy-spoldzielni.txt",
    "wiadomosci-02-tramwaj-poznan.txt",
    "wypracowania-02-recenzja-filmu-latarnik.txt",
    "wywiady-02-strazaczka.txt",
    "basnie-06-jez-ktory-nie-widzial-sniegu.txt",
    "humor-06-skarga-emeryta.txt",
    "wiadomosci-06-awaria-pradu-lodz.txt",
)

#: Rejestry (odmiany tekstu) korpusu: nazwa pliku zaczyna się od nazwy rejestru
#: (``basnie-03-szklany-most.txt``); dwanaście pierwszych plików ma numer na początku
#: i rejestr zapisany tutaj.
REGISTERS = {
    "opowiadania": "opowiadania obyczajowe",
    "basnie": "baśnie",
    "humor": "teksty humorystyczne",
    "dialogi": "sceny pisane dialogiem",
    "wywiady": "wywiady",
    "o-jezyku": "rozmowy i szkice o języku",
    "listy-dzienniki": "listy i dzienniki",
    "opisy": "opisy (przyroda, miasto, dom, pogoda)",
    "podroze": "reportaże z podróży",
    "nauka-technika": "objaśnienia: nauka i technika",
    "historia-geografia": "objaśnienia: historia i geografia",
    "poradniki": "instrukcje i przepisy",
    "wiadomosci": "wiadomości",
    "sport": "relacje sportowe",
    "urzedowe": "polszczyzna urzędowa",
    "wypracowania": "wypracowania szkolne",
}

_LEGACY_REGISTERS = {
    "01-poranek-na-wsi.txt": "opisy",
    "02-kot-i-pies.txt": "opowiadania",
    "03-miasto-nad-rzeka.txt": "opisy",
    "04-listy-do-brata.txt": "listy-dzienniki",
    "05-jak-to-dziala.txt": "nauka-technika",
    "06-dzien-w-szkole.txt": "opowiadania",
    "07-zima-w-gorach.txt": "opowiadania",
    "08-stary-zamek.txt": "opowiadania",
    "09-w-kuchni-babci.txt": "opowiadania",
    "10-podroz-pociagiem.txt": "podroze",
    "11-rozmowy-o-jezyku.txt": "o-jezyku",
    "12-ogrod-i-pory-roku.txt": "opisy",
}


def register_of(name: str) -> str:
    """Rejestr pliku korpusu o nazwie ``name`` (klucz :data:`REGISTERS`)."""
    if name in _LEGACY_REGISTERS:
        return _LEGACY_REGISTERS[name]
    for key in sorted(REGISTERS, key=len, reverse=True):
        if name.startswith(key + "-"):
            return key
    raise KursError(f"Plik korpusu {name!r} nie zaczyna się od nazwy rejestru: nazwij go np. \"basnie-01-tytul.txt\".")

#: Separator dokumentów przy łączeniu plików w jeden tekst.
DOCUMENT_SEPARATOR = "\n\n"

SPLITS = ("train", "heldout", "all")

WOLNE_LEKTURY_URL = "https://wolnelektury.pl/media/book/txt/"


def _corpus_dir():
    return resources.files("llmkurs") / "resources" / "corpus"


def corpus_files(split: str = "all") -> list[str]:
    """Nazwy plików korpusu należących do części ``split`` (posortowane)."""
    require(split in SPLITS, f"Nieznana część korpusu {split!r}: wybierz \"train\", \"heldout\" albo \"all\".")
    names = sorted(p.name for p in _corpus_dir().iterdir() if p.name.endswith(".txt"))
    if split == "train":
        return [n for n in names if n not in HELDOUT_FILES]
    if split == "heldout":
        return [n for n in names if n in HELDOUT_FILES]
    return names


def load_documents(split: str = "train") -> list[str]:
    """Lista dokumentów (jeden plik = jeden dokument) części ``split``, w NFC."""
    docs = []
    for name in corpus_files(split):
        text = (_corpus_dir() / name).read_text(encoding="utf-8")
        docs.append(unicodedata.normalize("NFC", text).strip())
    return docs


def load_corpus(split: str = "all") -> str:
    """Cały tekst części ``split`` (``"train"``, ``"heldout"`` albo ``"all"``) jako jeden napis.

    Dokumenty są połączone pustą linią (``DOCUMENT_SEPARATOR``) w stałej kolejności nazw plików.
    """
    return DOCUMENT_SEPARATOR.join(load_documents(split))


# --------------------------------------------------------------------------- pobieranie


def default_cache_dir() -> Path:
    """Folder pamięci podręcznej pobranych książek (``$LLMKURS_CACHE`` albo ``~/.cache/llmkurs``)."""
    base = os.environ.get("LLMKURS_CACHE")
    return Path(base) if base else Path.home() / ".cache" / "llmkurs"


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def download_book(
    slug: str,
    *,
    base_url: str = WOLNE_LEKTURY_URL,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
) -> str:
    """Pobierz książkę z Wolnych Lektur jako tekst (opcjonalne: wymaga internetu).

    ``slug`` to nazwa z adresu książki, np. ``"pan-tadeusz"``. Wynik trafia do pamięci
    podręcznej (``cache_dir``), więc drugie wywołanie nie łączy się z siecią. Przy braku sieci,
    przekroczeniu czasu ``timeout`` albo pliku większym niż ``max_bytes`` zgłasza
    :class:`~llmkurs.errors.KursError` z jednym zdaniem po polsku.
    """
    require_type(slug, str, "Nazwa książki (slug) musi być napisem, np. \"pan-tadeusz\".")
    require(bool(_SLUG.match(slug)), f"Nazwa książki {slug!r} ma złą postać: użyj małych liter, cyfr i myślników, np. \"pan-tadeusz\".")
    require(timeout > 0, "Czas oczekiwania (timeout) musi być dodatni.")
    require(max_bytes > 0, "Limit rozmiaru (max_bytes) musi być dodatni.")
    url = base_url.rstrip("/") + "/" + slug + ".txt"
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    cached = cache / f"{slug}-{key}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            raise KursError(f"Nie ma książki {slug!r} pod adresem {url}: sprawdź nazwę na stronie Wolnych Lektur.") from None
        raise KursError(f"Serwer odpowiedział błędem {err.code}: spróbuj później albo użyj korpusu kursu (load_corpus()).") from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise KursError("Nie udało się połączyć z serwerem (brak internetu?): użyj korpusu kursu, load_corpus().") from None
    if len(data) > max_bytes:
        raise KursError(f"Plik jest większy niż limit {max_bytes} bajtów: zwiększ max_bytes albo wybierz krótszą książkę.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KursError("Pobrany plik nie jest tekstem UTF-8: sprawdź adres (base_url).") from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(cached)
    return text
