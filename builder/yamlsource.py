"""Read YAML keeping the line of every value, so errors can point at it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML file: plain Python data plus the line of each value."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        return nearest_line(self.lines, path)


def nearest_line(lines: Mapping[Path_, int], path: Path_) -> int | None:
    """The line of `path` in `lines`, or of its nearest ancestor there (None: not even the
    file's top has one, as for data that was not read from a file)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def read_source(path: Path, display: str | None = None) -> Source:
    """Parse `path`; syntax errors and duplicate keys become problems, never exceptions."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        problem = Problem(name, None, "", f"cannot read the file ({reason}).")
        return Source(name, None, problems=[problem])
    return parse_text(text, name)


def parse_text(text: str, name: str) -> Source:
    """Parse YAML text named `name` (used in messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        problem = Problem(name, None, "", "this is nested too deeply to read.")
        return Source(name, None, problems=[problem])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "unreadable YAML").rstrip(".")
        message = f"this is not valid YAML ({problem}); check indentation, colons and brackets."
        return Source(name, None, problems=[Problem(name, line, "", message)])
    source = Source(name, None)
    try:
        source.data = _convert(node, (), source, set()) if node is not None else None
    except RecursionError:
        problem = Problem(name, None, "", "this is nested too deeply to read.")
        return Source(name, None, problems=[problem])
    except _Repeated as repeated:
        message = ("YAML anchors and aliases (&name, *name) are not allowed here; "
                   "write the value out in full.")
        return Source(name, None, problems=[Problem(name, repeated.line, "", message)])
    except yaml.YAMLError as exc:   # a tag no safe loader builds (!!python/..., !foo)
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = (getattr(exc, "problem", None) or "a value it cannot read").rstrip(".")
        return Source(name, None, problems=[Problem(name, line, "", f"{problem}.")])
    return source


_scalars = yaml.constructor.SafeConstructor()


class _Repeated(Exception):
    """A node met twice: an alias, which could nest itself or expand without end."""

    def __init__(self, line: int) -> None:
        self.line = line


def _convert(node: yaml.Node, path: Path_, source: Source, seen: set[int],
             written_at: int | None = None) -> Any:
    # A routine has no use for anchors and aliases, and they are how a few bytes of YAML
    # become an endless loop or gigabytes ("billion laughs"): each node is read once.
    # `written_at` is the line the value is written on (an alias's node is its anchor's).
    if id(node) in seen:
        raise _Repeated(written_at or node.start_mark.line + 1)
    seen.add(id(node))
    source.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, source, seen)
    if isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + 1
        return [_convert(item, (*path, i), source, seen, line)
                for i, item in enumerate(node.value)]
    return _scalars.construct_object(node)


def _convert_mapping(node: yaml.MappingNode, path: Path_, source: Source,
                     seen: set[int]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(_scalars.construct_object(key_node))
        if key in result:
            line = key_node.start_mark.line + 1
            source.problems.append(Problem(
                source.file, line, key, "this key appears twice; keep one of them."))
        result[key] = _convert(value_node, (*path, key), source, seen,
                               key_node.start_mark.line + 1)
        source.lines.setdefault((*path, key), key_node.start_mark.line + 1)
    return result
