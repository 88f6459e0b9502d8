"""The routine library as data: routines, the move catalog and the vocabularies."""

from pathlib import Path

LIBRARY_DIR = Path(__file__).resolve().parent
MOVES_DIR = LIBRARY_DIR / "moves"
VOCABULARY_DIR = LIBRARY_DIR / "vocabulary"

__all__ = ["LIBRARY_DIR", "MOVES_DIR", "VOCABULARY_DIR"]
