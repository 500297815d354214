"""Pary wejście→cel z przesuwanym oknem, ``GPTDataset`` i ``create_dataloader`` (rozdział 1).

Model językowy uczy się przewidywać następny token. Z jednej długiej listy ID tokenów robimy
więc wiele przykładów treningowych oknem przesuwanym (ang. *sliding window*):

- wejście (ang. *input*) to ``max_length`` kolejnych tokenów od pozycji ``i``:
  ``ids[i : i + max_length]``,
- cel (ang. *target*) to to samo okno przesunięte o jeden token w prawo:
  ``ids[i + 1 : i + max_length + 1]``,
- okno startuje na pozycjach ``i in range(0, len(ids) - max_length, stride)``; krok ``stride``
  równy ``max_length`` daje okna bez nakładania się.

Cel na pozycji ``j`` to token, który następuje po ``wejście[: j + 1]`` – w jednym oknie
mieszczą się więc ``max_length`` zadania „przewidź następny token” naraz. Tak samo działa
``GPTDatasetV1`` / ``create_dataloader_v1`` z rozdziału 2 książki S. Raschki, tyle że tutaj
tokenizator jest parametrem (nasz :class:`~llmkurs.tokenizer.BPETokenizer` albo
``tiktoken.Encoding``).
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset

from llmkurs.errors import KursError, KursTypeError, require, require_type
from llmkurs.tokenizer import n_tokens, plural_pl

ENDOFTEXT = "<|endoftext|>"


def _positive_int(value, name: str, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise KursTypeError(f"{name} musi być liczbą całkowitą, a jest {value!r}: {hint}.")
    require(value >= 1, f"{name} musi być co najmniej 1, a jest {value}: {hint}.")
    return value


def sliding_window_pairs(token_ids, max_length: int, stride: int) -> list[tuple[list, list]]:
    """Lista par (wejście, cel) z przesuwanego okna – bez torcha, do oglądania.

    ``sliding_window_pairs([1, 2, 3, 4, 5], 2, 1) == [([1, 2], [2, 3]), ([2, 3], [3, 4]),
    ([3, 4], [4, 5])]``.
    """
    ids = list(token_ids)
    _check_window(len(ids), max_length, stride)
    return [(ids[i : i + max_length], ids[i + 1 : i + max_length + 1])
            for i in range(0, len(ids) - max_length, stride)]


def _check_window(n: int, max_length, stride) -> None:
    _positive_int(max_length, "Długość okna (max_length)", "np. 4 albo 256")
    _positive_int(stride, "Krok okna (stride)", "np. 1 albo równy max_length")
    require(n > max_length,
            f"Tekst jest za krótki: ma {n_tokens(n)}, a jedno okno potrzebuje max_length + 1 = "
            f"{n_tokens(max_length + 1)}; zmniejsz max_length albo podaj dłuższy tekst.")


class GPTDataset(Dataset):
    """Zbiór par (wejście, cel) z listy ID tokenów (jak ``GPTDatasetV1`` w książce).

    ``dataset[k]`` to para tensorów ``(input_ids, target_ids)``, każdy o kształcie
    ``(max_length,)``; ``target_ids`` to ``input_ids`` przesunięte o jeden token.
    """

    def __init__(self, token_ids, max_length: int, stride: int):
        if isinstance(token_ids, str):
            raise KursTypeError("GPTDataset przyjmuje listę ID tokenów, nie tekst: użyj tokenizer.encode(tekst) albo create_dataloader.")
        if isinstance(token_ids, torch.Tensor):
            require(token_ids.dim() == 1, f"Tensor ID tokenów musi być jednowymiarowy, a ma kształt {tuple(token_ids.shape)}.")
            token_ids = token_ids.tolist()
        try:
            ids = [int(i) for i in token_ids]
        except (TypeError, ValueError):
            raise KursTypeError("ID tokenów muszą być liczbami całkowitymi, np. [3014, 7020, 2324].") from None
        _check_window(len(ids), max_length, stride)
        self.max_length = max_length
        self.stride = stride
        self.token_ids = torch.tensor(ids, dtype=torch.long)
        starts = range(0, len(ids) - max_length, stride)
        self.input_ids = [self.token_ids[i : i + max_length] for i in starts]
        self.target_ids = [self.token_ids[i + 1 : i + max_length + 1] for i in starts]

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, idx):
        return self.input_ids[idx], self.target_ids[idx]


def create_dataloader(text, tokenizer, batch_size=4, max_length=256, stride=128, shuffle=True,
                      drop_last=True, num_workers=0) -> DataLoader:
    """Zakoduj ``text`` tokenizatorem i zwróć ``DataLoader`` z paczkami par (wejście, cel).

    Jak ``create_dataloader_v1`` z rozdziału 2 książki, ale tokenizator jest parametrem: wszystko,
    co ma metodę ``encode(text, allowed_special=...)`` (nasz ``BPETokenizer``, ``tiktoken``).
    ``<|endoftext|>`` w tekście staje się jednym tokenem. Każda paczka (ang. *batch*) to para
    tensorów o kształcie ``(batch_size, max_length)``. Przy ``shuffle=True`` kolejność zależy
    od ``torch.manual_seed``.
    """
    require_type(text, str, f"create_dataloader przyjmuje tekst (str), a dostał {type(text).__name__}.")
    require(hasattr(tokenizer, "encode"), "Tokenizator musi mieć metodę encode, np. polish_tokenizer() albo tiktoken.get_encoding(\"gpt2\").")
    _positive_int(batch_size, "Rozmiar paczki (batch_size)", "np. 4")
    _positive_int(max_length, "Długość okna (max_length)", "np. 4 albo 256")
    _positive_int(stride, "Krok okna (stride)", "np. 1 albo równy max_length")
    require(isinstance(num_workers, int) and num_workers >= 0, "num_workers musi być liczbą całkowitą ≥ 0 (w kursie: 0).")
    try:
        token_ids = tokenizer.encode(text, allowed_special={ENDOFTEXT})
    except TypeError:
        token_ids = tokenizer.encode(text)
    dataset = GPTDataset(token_ids, max_length, stride)
    if drop_last and len(dataset) < batch_size:
        raise KursError(
            f"Z tekstu wychodzi tylko {plural_pl(len(dataset), 'okno', 'okna', 'okien')}, a paczka "
            f"potrzebuje {batch_size} "
            "(drop_last=True wyrzuca niepełną paczkę): zmniejsz batch_size, max_length lub stride.")
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                      num_workers=num_workers)
