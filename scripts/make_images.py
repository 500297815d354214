"""Rysunki strony kursu rysowane kodem (matplotlib): logo ``images/logo.png`` i ikona
``images/favicon.png``.

Logo pokazuje w skrócie drogę zdania przez model: trzy tokeny („Oto”, „frag”, „ment”) →
strzałki → kolumny liczb (wektory) → słupki prawdopodobieństw następnego tokenu.
Kolory z mapy ``viridis`` (czytelne w skali szarości).

Użycie: ``python scripts/make_images.py`` (nadpisuje pliki w ``images/``; wynik jest
deterministyczny – wszystkie liczby są stałe w kodzie).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "images"

#: Stałe „wartości” komórek wektorów w logo (0–1, kolor z viridis).
VECTORS = (
    (0.15, 0.55, 0.85, 0.35),
    (0.70, 0.25, 0.45, 0.95),
    (0.40, 0.90, 0.10, 0.60),
)
#: Wysokości słupków „prawdopodobieństw następnego tokenu”.
PROBS = (0.18, 0.62, 0.30, 0.12, 0.08)


def draw_logo(path: Path = IMAGES / "logo.png") -> Path:
    """Narysuj logo kursu (PNG, przezroczyste tło) i zwróć ścieżkę pliku."""
    cmap = colormaps["viridis"]
    fig = plt.figure(figsize=(4.0, 1.6), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4)
    ax.axis("off")
    tokens = ("Oto", "frag", "ment")
    for i, (tok, vec) in enumerate(zip(tokens, VECTORS, strict=True)):
        y = 3.2 - i * 1.2
        ax.add_patch(FancyBboxPatch((0.2, y - 0.38), 2.0, 0.76, boxstyle="round,pad=0.05,rounding_size=0.18",
                                    fc="#fde68a" if i != 1 else "#a7f3d0", ec="#1f2937", lw=1.2))
        ax.text(1.2, y, tok, ha="center", va="center", fontsize=15, family="DejaVu Sans", color="#111827")
        ax.add_patch(FancyArrowPatch((2.35, y), (3.55, y), arrowstyle="-|>", mutation_scale=14, lw=1.6, color="#374151"))
        for j, v in enumerate(vec):
            ax.add_patch(plt.Rectangle((3.7 + j * 0.55, y - 0.3), 0.5, 0.6, fc=cmap(v), ec="white", lw=1))
    # strzałka zbiorcza do słupków
    ax.add_patch(FancyArrowPatch((6.05, 2.0), (7.05, 2.0), arrowstyle="-|>", mutation_scale=16, lw=1.8, color="#374151"))
    for k, p in enumerate(PROBS):
        ax.add_patch(plt.Rectangle((7.2 + k * 0.52, 0.6), 0.42, 2.8 * p / max(PROBS), fc=cmap(0.25 + 0.15 * k), ec="none"))
    ax.plot([7.1, 9.85], [0.58, 0.58], color="#374151", lw=1.2)
    IMAGES.mkdir(exist_ok=True)
    fig.savefig(path, transparent=True, metadata={"Software": None})
    plt.close(fig)
    return path


def draw_favicon(path: Path = IMAGES / "favicon.png") -> Path:
    """Ikona strony (64×64 px): trzy kolumny komórek wektora w kolorach viridis."""
    cmap = colormaps["viridis"]
    fig = plt.figure(figsize=(1, 1), dpi=64)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.axis("off")
    for i, vec in enumerate(VECTORS):
        for j, v in enumerate(vec[:3]):
            ax.add_patch(plt.Rectangle((j + 0.05, 2 - i + 0.05), 0.9, 0.9, fc=cmap(v), ec="none"))
    IMAGES.mkdir(exist_ok=True)
    fig.savefig(path, transparent=True, metadata={"Software": None})
    plt.close(fig)
    return path


def main() -> None:
    print(draw_logo())
    print(draw_favicon())


if __name__ == "__main__":
    main()
