"""What, besides our own code, decides the exact samples a build makes: package versions
and the processor they run on. It goes into every cache key, so that audio made elsewhere
is never taken for audio made here."""

from __future__ import annotations

import functools
import platform
from importlib import metadata
from pathlib import Path

# The instruction-set extensions that onnxruntime's kernels (MLAS) and numpy pick their
# code paths by: two processors that differ in one of these may round differently.
_SIMD = ("sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512dq",
         "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_tile",
         "amx_bf16", "amx_int8", "asimd", "asimddp", "asimdhp", "i8mm", "bf16", "sve", "sve2")


@functools.cache
def versions(*packages: str) -> dict[str, str]:
    """Each installed package's version ("absent" when it is not installed)."""
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


@functools.cache
def processor() -> str:
    """The machine architecture and its SIMD extensions, e.g. "x86_64+avx+avx2+fma".

    Only as far as is cheap to know: Linux lists the extensions in /proc/cpuinfo; elsewhere
    the architecture and the processor's name stand for them.
    """
    flags = _cpu_flags(Path("/proc/cpuinfo"))
    if flags is None:
        return f"{platform.machine()}:{platform.processor()}"
    return "+".join([platform.machine(), *(flag for flag in _SIMD if flag in flags)])


def _cpu_flags(cpuinfo: Path) -> set[str] | None:
    """The first processor's flags ("flags" on x86, "Features" on ARM), or None."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return set(value.split())
    return None
