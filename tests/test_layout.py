"""Data flows one way (routines -> builder -> audio -> skill, web -> matcoach): each package
imports only the ones upstream of it, so none knows of the ones that use it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
OURS = {"routines", "builder", "audio", "plans", "skill", "web", "matcoach"}
ALLOWED = {
    "routines": set(),
    "builder": {"routines"},
    "audio": {"routines", "builder"},
    "plans": {"routines", "builder"},      # therapists' data, used by the skill and the web
    "skill": {"routines", "builder", "audio", "plans"},
    "web": {"routines", "builder", "audio", "plans"},
    "matcoach": OURS - {"matcoach"},
}
# The Alexa side has no command-line code; the command lives in matcoach/.
FORBIDDEN_LIBRARIES = {"skill": {"click"}, "web": {"click"}, "plans": {"click"}}


def imported(package: str) -> dict[str, set[str]]:
    """Top-level modules each file of a package imports (absolute imports only)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_upstream(package):
    wrong = {file: sorted((names & OURS) - ALLOWED[package] - {package})
             for file, names in imported(package).items()}
    assert {file: names for file, names in wrong.items() if names} == {}


@pytest.mark.parametrize("package", sorted(FORBIDDEN_LIBRARIES))
def test_no_command_line_code_outside_matcoach(package):
    wrong = {file: sorted(names & FORBIDDEN_LIBRARIES[package])
             for file, names in imported(package).items()}
    assert {file: names for file, names in wrong.items() if names} == {}
