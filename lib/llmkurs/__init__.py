"""llmkurs – pakiet kursu „Jak działa duży model językowy?”.

Każdy moduł to jedna idea i jeden (lub dwa) rozdziały kursu:

- ``corpus``      – polski korpus kursu (rozdział 1 i dalej),
- ``tokenizer``   – bajtowy BPE od zera, znak ``Ġ`` (rozdział 1),
- ``data``        – pary wejście→cel, ``GPTDataset``, ``create_dataloader`` (rozdział 1),
- ``embeddings``  – osadzenia tokenów i pozycji (rozdziały 2–3),
- ``attention``   – samo-uwaga: naiwna, skalowana, przyczynowa, wiele głów (rozdziały 4–8),
- ``model``       – mały GPT, generowanie tekstu (rozdział 9),
- ``viz``, ``explore`` – rysunki (matplotlib) i rysunki do odkrywania na stronie (plotly),
- ``widgets``, ``exercises`` – widżety i ćwiczenia z automatycznym sprawdzaniem.
"""

__version__ = "0.1.0"
