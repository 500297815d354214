"""Widżety rozdziału 1 (Tokenizacja).

- :func:`merges_widget` – suwak „liczba scaleń”: jak słowo rozpada się na coraz mniej kawałków
  w miarę nauki BPE, obok lista dotąd nauczonych scaleń,
- :func:`tokenizer_widget` – własne zdanie w kolorowych tokenach: tokenizator kursu, GPT-2
  i GPT-4 (``cl100k_base``) obok siebie, z ID i liczbą tokenów,
- :func:`dataloader_widget` – własny tekst i suwaki ``max_length``, ``stride`` i ``batch_size``:
  pierwsza paczka par wejście→cel jako tokeny,
- :func:`tokens_figure` i :func:`merges_explorable` – rysunek do odkrywania na stronie bez jądra.

Każdy widżet to czysta funkcja ``render_...(**wartości)`` (testowana bezpośrednio) połączona
z kontrolkami przez :func:`llmkurs.widgets.common.interactive`.
"""

from __future__ import annotations

import html

from llmkurs.draw import TOKEN_COLORS, tokens_html
from llmkurs.errors import KursError, require
from llmkurs.polish import decimal_pl
from llmkurs.tokenizer import (
    BPETokenizer,
    n_tokens,
    plural_pl,
    polish_tokenizer,
    readable_piece,
    tiktoken_encoding,
)
from llmkurs.widgets.common import (
    MAX_WIDGET_CHARS,
    Note,
    int_slider,
    interactive,
    shorten,
    text_area,
    text_box,
)

#: Słowo, od którego startuje widżet scaleń (z notatek: „Oto fragment przykładowego wejścia”).
DEFAULT_WORD = "przykładowego"
DEFAULT_SENTENCE = "Oto fragment przykładowego wejścia"
#: Najwięcej tokenów pokazywanych w kolorze (dłuższy wynik skracamy z notką).
MAX_SHOWN_TOKENS = 400

EMPTY_HINT = "Wpisz zdanie w pole powyżej, np. „Oto fragment przykładowego wejścia”."


# --------------------------------------------------------------------------- tokenizatory


def _course() -> BPETokenizer:
    return polish_tokenizer()


def comparison_tokenizers(include_gpt4: bool = True) -> dict:
    """Tokenizatory do porównania: ``{"kurs": ..., "GPT-2": ..., "GPT-4 (cl100k)": ...}``.

    Słownik GPT-2 albo GPT-4, którego nie da się wczytać (brak internetu i plików), ma wartość
    ``None`` – widżety piszą wtedy notkę zamiast wyniku.
    """
    out = {"kurs": _course()}
    names = [("GPT-2", "gpt2")] + ([("GPT-4 (cl100k)", "cl100k_base")] if include_gpt4 else [])
    for label, name in names:
        try:
            out[label] = tiktoken_encoding(name)
        except KursError:
            out[label] = None
    return out


def _piece_of(tokenizer, token_id: int) -> str:
    if isinstance(tokenizer, BPETokenizer):
        return readable_piece(tokenizer.token_bytes(token_id))
    return readable_piece(tokenizer.decode_single_token_bytes(token_id))


def encode_pieces(tokenizer, text: str) -> tuple[list[int], list[str]]:
    """ID i czytelne kawałki tekstu dla ``BPETokenizer`` albo ``tiktoken.Encoding``.

    Tokeny specjalne (``<|endoftext|>``) są dozwolone i stają się jednym tokenem.
    """
    ids = tokenizer.encode(text, allowed_special="all")
    return ids, [_piece_of(tokenizer, i) for i in ids]


# --------------------------------------------------------------------------- 1. scalenia


def render_merges(slowo: str = DEFAULT_WORD, liczba_scalen: int = 0, tokenizer: BPETokenizer | None = None,
                  pokaz_scalen: int = 12) -> list:
    """Słowo podzielone przy pierwszych ``liczba_scalen`` scaleniach i lista tych scaleń.

    Scalenia, które faktycznie posłużyły temu słowu, są pogrubione.
    """
    tok = tokenizer or _course()
    require(isinstance(slowo, str), "Słowo musi być tekstem.")
    if not slowo.strip():
        return [Note("Wpisz słowo w pole powyżej, np. „przykładowego”, i przesuń suwak.")]
    shown, note = shorten(slowo, 200)
    total = len(tok.merges)
    k = max(0, min(int(liczba_scalen), total))
    ids = tok.encode_with_merges(shown, k, allowed_special="all")
    pieces = [readable_piece(tok.token_bytes(i)) for i in ids]
    n_bytes = len(shown.encode("utf-8"))
    head = (f"<p><b>{n_tokens(len(ids))}</b> po {plural_pl(k, 'scaleniu', 'scaleniach', 'scaleniach')} "
            f"z {total} (na początku: {plural_pl(n_bytes, 'bajt', 'bajty', 'bajtów')} = "
            f"{n_tokens(n_bytes)}).</p>")
    used = set(ids)
    merges = tok.merges
    rows = []
    for rank in range(max(0, k - pokaz_scalen), k):
        a, b = merges[rank]
        new_id = tok._merge_rank_order[rank]
        piece = tok.id_to_piece(new_id)
        text = f"{rank + 1}. {html.escape(a)} + {html.escape(b)} → {html.escape(piece)} (ID {new_id})"
        rows.append(f"<li><b>{text}</b></li>" if new_id in used else f"<li>{text}</li>")
    merges_html = ("<p>Ostatnie nauczone scalenia (pogrubione – użyte w tym słowie):</p>"
                   f"<ol style='list-style:none;padding-left:0;font-family:monospace'>{''.join(rows)}</ol>"
                   if rows else "<p>Jeszcze żadnych scaleń: każdy bajt to osobny token.</p>")
    out = [head + tokens_html(pieces, ids) + merges_html]
    if note:
        out.append(note)
    return out


def merges_widget(tokenizer: BPETokenizer | None = None, word: str = DEFAULT_WORD, value: int = 0):
    """Widżet: słowo i suwak *liczba scaleń* (0 … liczba scaleń tokenizera)."""
    tok = tokenizer or _course()

    def render(slowo, liczba_scalen):
        return render_merges(slowo, liczba_scalen, tok)

    return interactive(
        render,
        title="Jak słowo rozpada się na tokeny w miarę uczenia BPE",
        slowo=text_box(word, "Słowo:"),
        liczba_scalen=int_slider(value, 0, len(tok.merges), "liczba scaleń"),
    )


# --------------------------------------------------------------------------- 2. porównanie


def render_tokenizers(zdanie: str = DEFAULT_SENTENCE, tokenizers: dict | None = None) -> list:
    """Zdanie w kolorowych tokenach dla kilku tokenizatorów, z ID i liczbą tokenów.

    Liczby tokenów liczymy na całym tekście; w kolorze pokazujemy najwyżej
    ``MAX_WIDGET_CHARS`` znaków (i ``MAX_SHOWN_TOKENS`` tokenów) z notką o skróceniu.
    """
    require(isinstance(zdanie, str), "Zdanie musi być tekstem.")
    if not zdanie.strip():
        return [Note(EMPTY_HINT)]
    tokenizers = tokenizers if tokenizers is not None else comparison_tokenizers()
    shown, note = shorten(zdanie, MAX_WIDGET_CHARS)
    out = [note] if note else []
    for label, tok in tokenizers.items():
        if tok is None:
            out.append(Note(f"{label}: słownika nie udało się wczytać (potrzebny internet albo pliki tiktoken)."))
            continue
        n_total = len(tok.encode(zdanie, allowed_special="all"))
        ids, pieces = encode_pieces(tok, shown)
        cut = ""
        if len(ids) > MAX_SHOWN_TOKENS:
            ids, pieces = ids[:MAX_SHOWN_TOKENS], pieces[:MAX_SHOWN_TOKENS]
            cut = f", w kolorze pierwsze {MAX_SHOWN_TOKENS}"
        ratio = len(zdanie) / n_total
        title = f"{label}: {n_tokens(n_total)} ({decimal_pl(ratio, 2)} znaku na token{cut})"
        out.append(tokens_html(pieces, ids, title=title))
    return out


def tokenizer_widget(sentence: str = DEFAULT_SENTENCE, tokenizers: dict | None = None):
    """Widżet: własne zdanie w tokenach kursu, GPT-2 i GPT-4 obok siebie."""
    tokenizers = tokenizers if tokenizers is not None else comparison_tokenizers()

    def render(zdanie):
        return render_tokenizers(zdanie, tokenizers)

    return interactive(render, title="Twoje zdanie w tokenach", zdanie=text_box(sentence))


# --------------------------------------------------------------------------- 3. paczki


def render_batch(max_length: int = 4, stride: int = 4, batch_size: int = 2, text: str | None = None,
                 tokenizer=None) -> list:
    """Pierwsza paczka z ``create_dataloader`` (bez tasowania) jako tokeny wejścia i celu.

    Kolor komórki zależy od pozycji tokenu w tekście: ten sam token ma ten sam kolor w wejściu
    i w celu, więc widać przesunięcie o jeden.
    """
    from llmkurs.data import create_dataloader

    tok = tokenizer or _course()
    text = text if text is not None else default_batch_text()
    require(isinstance(text, str), "Tekst musi być napisem.")
    if not text.strip():
        return [Note("Podaj tekst, z którego zrobimy pary wejście→cel.")]
    text, note = shorten(text, MAX_WIDGET_CHARS)
    loader = create_dataloader(text, tok, batch_size=batch_size, max_length=max_length, stride=stride,
                               shuffle=False, drop_last=True)
    inputs, targets = next(iter(loader))
    n_windows = len(loader.dataset)
    head = (f"<p>{n_tokens(len(loader.dataset.token_ids))} → "
            f"{plural_pl(n_windows, 'okno', 'okna', 'okien')} (par wejście→cel), "
            f"{plural_pl(len(loader), 'paczka', 'paczki', 'paczek')}. Pierwsza paczka: <code>inputs.shape = {tuple(inputs.shape)}</code>, "
            f"<code>targets.shape = {tuple(targets.shape)}</code>.</p>")
    rows = []
    for r in range(inputs.shape[0]):
        # kolor = pozycja tokenu w tekście, więc ten sam token ma ten sam kolor w wejściu i w celu
        for name, row, shift in (("wejście", inputs[r], 0), ("cel", targets[r], 1)):
            ids = row.tolist()
            cells = "".join(_cell(_piece_of(tok, i), i, r * stride + j + shift) for j, i in enumerate(ids))
            rows.append(f"<tr><td style='padding-right:8px;color:#374151'>{r}: {name}</td>{cells}</tr>")
    table = f"<table style='border-collapse:separate;border-spacing:2px;font-family:monospace'>{''.join(rows)}</table>"
    out = [head + table]
    if note:
        out.append(note)
    return out


def _cell(piece: str, token_id: int, position: int) -> str:
    color = TOKEN_COLORS[position % len(TOKEN_COLORS)]
    shown = html.escape(piece.replace(" ", "·").replace("\n", "↵"))
    return (f"<td style='background:{color};color:#111827;padding:2px 4px;white-space:pre'>{shown}"
            f"<sub style='font-size:10px;color:#374151'>{token_id}</sub></td>")


def default_batch_text() -> str:
    """Początek pierwszego opowiadania korpusu (bez tytułu), co najmniej 1000 znaków."""
    from llmkurs.corpus import load_documents

    paragraphs = load_documents("train")[0].split("\n\n")[1:]
    out = []
    for p in paragraphs:
        out.append(p)
        if sum(map(len, out)) >= 1000:
            break
    return "\n\n".join(out)


def dataloader_widget(text: str | None = None, tokenizer=None):
    """Widżet: pole na własny tekst, suwaki ``max_length``, ``stride``, ``batch_size`` i pierwsza paczka."""
    tok = tokenizer or _course()
    text = text if text is not None else default_batch_text()

    def render(tekst, max_length, stride, batch_size):
        return render_batch(max_length, stride, batch_size, tekst, tok)

    return interactive(
        render,
        title="Pary wejście→cel z przesuwanego okna",
        tekst=text_area(text, "Twój tekst:"),
        max_length=int_slider(4, 1, 16, "max_length (długość okna)"),
        stride=int_slider(4, 1, 16, "stride (krok okna)"),
        batch_size=int_slider(2, 1, 8, "batch_size (okna w paczce)"),
    )


# --------------------------------------------------------------------------- rysunek do odkrywania


def tokens_figure(rows: dict, *, title: str | None = None):
    """Rysunek plotly: każdy wiersz to podział tego samego tekstu na tokeny.

    ``rows`` to ``{etykieta: (ids, kawałki_bajtów)}``. Szerokość prostokąta to liczba bajtów
    tokenu (polskie litery mają po dwa bajty), podpis – token, podpowiedź – token i jego ID.
    """
    import plotly.graph_objects as go

    traces = []
    labels = list(rows)
    for label, (ids, chunks) in rows.items():
        starts, widths, texts, hovers, colors = [], [], [], [], []
        pos = 0
        for j, (i, data) in enumerate(zip(ids, chunks)):
            piece = readable_piece(data)
            starts.append(pos)
            widths.append(len(data))
            texts.append(piece.replace(" ", "·").replace("\n", "↵"))
            hovers.append(f"{html.escape(repr(piece))}<br>ID {i}, bajtów: {len(data)}")
            colors.append(TOKEN_COLORS[j % len(TOKEN_COLORS)])
            pos += len(data)
        traces.append(go.Bar(
            y=[f"{label}: {len(ids)}"] * len(ids), x=widths, base=starts, orientation="h",
            text=texts, textposition="inside", insidetextanchor="middle", textangle=0,
            textfont=dict(family="monospace", size=13, color="#111827"),
            marker=dict(color=colors, line=dict(color="#374151", width=1)),
            hovertext=hovers, hoverinfo="text", showlegend=False,
        ))
    fig = go.Figure(data=traces)
    fig.update_layout(
        template="none", barmode="overlay", height=90 + 55 * len(labels),
        margin=dict(l=170, r=20, t=50 if title else 20, b=50),
        title=dict(text=title, x=0.02) if title else None,
        xaxis=dict(title="pozycja w bajtach UTF-8", showgrid=False, zeroline=False),
        yaxis=dict(autorange="reversed", categoryorder="array",
                   categoryarray=[f"{lbl}: {len(rows[lbl][0])}" for lbl in labels]),
        font=dict(family="sans-serif", size=13), paper_bgcolor="white", plot_bgcolor="white",
    )
    return fig


def _rows_for(text: str, tok: BPETokenizer, k: int, others: dict) -> dict:
    ids = tok.encode_with_merges(text, k)
    rows = {f"kurs, {k} scaleń": (ids, [tok.token_bytes(i) for i in ids])}
    for label, enc in others.items():
        if enc is None:
            continue
        oids = enc.encode(text)
        rows[label] = (oids, [enc.decode_single_token_bytes(i) for i in oids])
    return rows


def merges_explorable(sentences, merge_steps=(0, 100, 250, 500, 1000, 2000, None), tokenizer=None,
                      others: dict | None = None):
    """Rysunek do odkrywania: zdania z listy, suwak liczby scaleń, GPT-2 i GPT-4 dla porównania.

    ``None`` w ``merge_steps`` oznacza wszystkie scalenia tokenizera.
    """
    from llmkurs.explore import explorable

    tok = tokenizer or _course()
    if others is None:
        others = {k: v for k, v in comparison_tokenizers().items() if k != "kurs"}
    steps = [len(tok.merges) if s is None else s for s in merge_steps]
    variants = {}
    for sentence in sentences:
        require(isinstance(sentence, str) and sentence.strip(), "Każde zdanie przykładowe musi być niepustym tekstem.")
        variants[sentence] = {k: tokens_figure(_rows_for(sentence, tok, k, others)) for k in steps}
    return explorable(variants, title="Zdanie w tokenach w miarę nauki BPE (obok GPT-2 i GPT-4)",
                      alt="Podział zdania na tokeny przez tokenizator kursu po wybranej liczbie scaleń, "
                          "a pod nim podział przez GPT-2 i GPT-4; szerokość prostokąta to liczba bajtów tokenu.",
                      label="Zdanie", slider_label="liczba scaleń")
