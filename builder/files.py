"""Which files of a library folder are read: the YAML files a person put there, not the
ones editors and operating systems leave beside them."""

from __future__ import annotations

from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml_name(name: str) -> bool:
    """Whether a file of this name is YAML: it ends in .yaml or .yml, in any case
    (Upper.YAML was once silently left out of the library)."""
    return Path(name).suffix.lower() in YAML_SUFFIXES


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of `folder` (not of its subfolders), by name; none when it is not a
    folder.

    Hidden names, starting with '.', are left out: they are what editors and operating
    systems leave beside a file, never a routine, move or vocabulary of their own. Emacs
    locks a file being edited with a symlink to nowhere (.#five-minute-reset.yaml), and
    macOS copies to other disks keep each file's metadata in ._happy-feet.yaml; read as
    routines, either one made the whole library fail to load.
    """
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:   # not a folder, or gone
        return []
    return [folder / name for name in sorted(names)
            if is_yaml_name(name) and not name.startswith(".")]
