"""Read YAML as plain data, keeping the line of every value, so errors can point at it.

One loader for every file the builder reads (routines, moves, vocabularies), with limits
that hold for any bytes at all: a file is refused before parsing when it is too large or
not UTF-8, and while it is read event by event when it nests too deeply or uses what
plain data has no need of: tags, aliases, merge keys, keys that are
lists or mappings. Each refusal is one `Problem` with the file and line; nothing raises.

Events, not nodes: PyYAML's composer recurses once per level of nesting (its C version
crashed the process on 100,000 nested '['), while its event parsers keep a stack on the
heap; here the data is built from events with a stack too, so nothing recurses, and
reading stops at the first level past MAX_DEPTH.

Plain (unquoted) values are read as an author means them: see builder/yamlscalars.py.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, quoted
from .limits import MAX_DEPTH, MAX_FILE_BYTES
from .yamlscalars import NO_CHARACTER, Refusal, resolve, scalar

Path_ = tuple[str | int, ...]

# The C event parser where the installed wheel has it (about 20x faster than the
# pure-Python one); both report the same events and marks.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOO_DEEP = (f"this is nested more than {MAX_DEPTH} levels deep, the most a YAML file here "
             "may be; a routine needs five.")


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
    """Read and parse the file at `path` (named `display` in messages).

    A folder, anything else that is not a regular file (a FIFO, a device, a socket), an
    unreadable file, one over MAX_FILE_BYTES or one that is not UTF-8 is one problem; at
    most MAX_FILE_BYTES + 1 bytes are ever read.
    """
    name = display or str(path)
    try:
        raw = _read_regular(path)
    except IsADirectoryError:
        return _refused(name, None, "this is a folder, not a YAML file.")
    except _NotAFile:
        return _refused(name, None, "this is not a regular file (a pipe, device or socket); "
                        "give a YAML file.")
    except OSError as exc:
        return _refused(name, None, f"cannot read the file ({exc.strerror or exc}).")
    if len(raw) > MAX_FILE_BYTES:
        return _refused(name, None, f"the file is larger than {MAX_FILE_BYTES // 1024} KB, "
                        "the most a YAML file here may be.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return _refused(name, line, f"this is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                        "save the file as UTF-8.")
    return parse_text(text, name)


class _NotAFile(Exception):
    """A path that opens but is no regular file."""


def _read_regular(path: Path) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of the regular file at `path`.

    Opened without blocking and checked before any read: opening a FIFO waits for a
    writer, and one in a library folder once hung every command and froze a server.
    Raises IsADirectoryError, _NotAFile (FIFO, device, socket) or OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise _NotAFile(path)
        return stream.read(MAX_FILE_BYTES + 1)


def parse_text(text: str, name: str) -> Source:
    """Parse YAML `text` named `name` (used in messages) into plain data: dicts with str
    keys, lists, str, int, float, bool, None (plain values read as the module docstring says).

    Problems (never exceptions): text over MAX_FILE_BYTES (as UTF-8), YAML syntax errors,
    characters YAML refuses (NUL, most control characters), nesting over MAX_DEPTH, tags,
    aliases, merge keys, keys that are not plain scalars, and duplicate keys (the last one
    wins; the problem names the repeat).
    """
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return _refused(name, None, f"the file is larger than {MAX_FILE_BYTES // 1024} KB, "
                        "the most a YAML file here may be.")
    source = Source(name, None)
    try:
        source.data = _read(text, source)
    except Refusal as refusal:
        return _refused(name, refusal.line, refusal.message)
    return source


def _read(text: str, source: Source) -> Any:
    """The data of `text`; each way the parser can fail becomes a Refusal with a line."""
    loader = None
    try:
        loader = _Parser(text)
        return _Reader(source).read(_events(loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "unreadable YAML").rstrip(".").replace("\n", " ")
        if "nesting depth" in problem:      # libyaml's own limit (1,000), past ours
            raise Refusal(line, _TOO_DEEP) from None
        if "Unicode character escape" in problem:
            raise Refusal(line, NO_CHARACTER) from None
        raise Refusal(line, f"this is not valid YAML ({problem}); check indentation, "
                       "colons and brackets.") from None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        raise Refusal(line, f"the character U+{exc.character:04X} cannot be in a YAML "
                       "file; remove it.") from None
    except (ValueError, OverflowError):     # the pure-Python scanner's chr() of an escape
        raise Refusal(loader.get_mark().line + 1 if loader else None,
                       NO_CHARACTER) from None
    finally:
        if loader is not None:
            loader.dispose()


def _events(loader: yaml.SafeLoader):
    while loader.check_event():
        yield loader.get_event()


def _refused(name: str, line: int | None, message: str) -> Source:
    return Source(name, None, problems=[Problem(name, line, "", message)])


class _Frame:
    """A list or mapping being read: where it sits, and (for a mapping) the key whose
    value comes next."""

    def __init__(self, value: list | dict, path: Path_) -> None:
        self.value = value
        self.path = path
        self.key: str | None = None
        self.key_line = 0


class _Reader:
    """Builds plain data from a YAML event stream, with a stack instead of recursion."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.stack: list[_Frame] = []
        self.result: Any = None

    def read(self, events) -> Any:
        for event in events:
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                if self.result is not None:
                    raise Refusal(_line(event), "this file holds more than one YAML "
                                   "document (a second '---'); keep one.")
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.stack.pop()
                continue
            self._value(event)
        return self.result

    def _value(self, event) -> None:
        line = _line(event)
        # An anchor alone is harmless; an alias is how a few bytes of YAML nest themselves
        # or expand to gigabytes ("billion laughs"), so every value is written once.
        if isinstance(event, yaml.AliasEvent):
            raise Refusal(line, "YAML aliases (*name) are not allowed here; write the "
                           "value out in full.")
        if event.tag is not None:
            raise Refusal(line, f"tags such as {quoted(_as_written(event.tag))} are not "
                           "allowed here; write plain values (put quotes around text).")
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            self._key(frame, event, line)
            return
        path = self._path_of_next(frame)
        self.source.lines[path] = line
        value = self._start(event, path, line)
        if frame is None:
            self.result = value
        elif isinstance(frame.value, list):
            frame.value.append(value)
        else:
            if frame.key in frame.value:
                self.source.problems.append(Problem(
                    self.source.file, frame.key_line, frame.key,
                    "this key appears twice; keep one of them."))
            frame.value[frame.key] = value
            frame.key = None

    def _key(self, frame: _Frame, event, line: int) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise Refusal(line, "a key must be a plain word, not a list or mapping.")
        if resolve(event) == "tag:yaml.org,2002:merge":
            raise Refusal(line, "merge keys (<<) are not allowed here; write each key "
                           "out in full.")
        frame.key = str(scalar(event, line))
        frame.key_line = line
        self.source.lines.setdefault((*frame.path, frame.key), line)

    def _path_of_next(self, frame: _Frame | None) -> Path_:
        if frame is None:
            return ()
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value))
        return (*frame.path, frame.key)

    def _start(self, event, path: Path_, line: int) -> Any:
        if isinstance(event, yaml.ScalarEvent):
            return scalar(event, line)
        if len(self.stack) >= MAX_DEPTH:
            raise Refusal(line, _TOO_DEEP)
        value: list | dict = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(value, path))
        return value


def _as_written(tag: str) -> str:
    """A tag as an author writes it: the parser expands `!!int` to tag:yaml.org,2002:int."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _line(event) -> int:
    return event.start_mark.line + 1
