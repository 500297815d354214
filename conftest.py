"""Ustawienia wspólne dla testów i dla jąder uruchamianych przez nbval.

Jądra notatników dziedziczą środowisko procesu pytest, więc ustawiamy tu to, od czego zależą
wyniki: stały PYTHONHASHSEED (kolejność zbiorów) i folder plików słowników tiktoken.
"""

import os
from pathlib import Path

os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(Path(__file__).resolve().parent / ".cache" / "tiktoken"))
