"""Layers talk through curated public names: no module of ``tradewar`` imports another
package's private module.

A *private module* is one whose dotted path has a component starting with ``_`` (``_economy``
in ``tradewar.model._economy``; dunders such as ``__init__`` do not count). A *package* is a
top-level subpackage of ``tradewar`` (``tradewar.data``, ``tradewar.analysis``, …); top-level
modules (``tradewar.errors``, ``tradewar.options``, …) are public. ``from tradewar.a._b import x``
(or ``from .._b import x`` resolving there, ``import tradewar.a._b``, ``from tradewar.a import
_b``, ``importlib.import_module("tradewar.a._b")``) inside ``tradewar.c`` is a violation; inside
``tradewar.a`` (and its subpackages) it is fine. Imports inside functions count too.

:data:`ALLOWED` lists the violations that remain, each with the helper who owns the importing
file; it may only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "tradewar"

#: (importing module, imported private module) -> owner and why it is still there.
#: The integrator shrinks this list; nobody adds to it.
ALLOWED: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _private(target: str) -> bool:
    parts = target.split(".")
    return parts[0] == "tradewar" and any(
        p.startswith("_") and not p.startswith("__") for p in parts[1:])


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or (ROOT / parts[-1]).is_dir() else module


def _owner_package(target: str) -> str:
    """The package a private module belongs to (``tradewar.model._economy`` -> ``tradewar.model``)."""
    parts = target.split(".")
    return ".".join(parts[:2])


def _targets(tree: ast.AST, importer: str, is_package: bool) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.module, node.level)
            out.append((base, node.lineno))
            for alias in node.names:  # `from tradewar.a import _b` imports a private module
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    if (ROOT.parent / Path(*base.split("."), alias.name + ".py")).exists():
                        out.append((f"{base}.{alias.name}", node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            out.append((node.args[0].value, node.lineno))
    return out


def private_imports() -> dict[tuple[str, str], list[str]]:
    """Every cross-package import of a private module: (importer, target) -> ["file:line"]."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        importer = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, line in _targets(tree, importer, _is_package(path)):
            if not _private(target):
                continue
            if _package(importer) == _owner_package(target):
                continue
            found.setdefault((importer, target), []).append(
                f"{path.relative_to(SRC.parent)}:{line}")
    return found


def test_no_module_imports_another_packages_private_module() -> None:
    found = private_imports()
    new = {key: where for key, where in found.items() if key not in ALLOWED}
    shown = "\n".join(f"  {', '.join(where)}: {imp} imports {tgt}" for (imp, tgt), where in new.items())
    assert not new, ("private modules imported across packages (import the curated public name "
                     f"from the package's __init__ instead):\n{shown}")


def test_the_checker_sees_violations() -> None:
    """The checker itself can fail: relative, absolute, lazy and by-name forms are caught."""
    code = ("from ..model._economy import Economy\n"
            "def f():\n    import tradewar.data._cache\n"
            "from tradewar.data import _blocs\n"
            "import importlib\nimportlib.import_module('tradewar.analysis._optimal')\n"
            "from ._compile import x\n")
    tree = ast.parse(code)
    targets = {t for t, _ in _targets(tree, "tradewar.scenario._run", False) if _private(t)}
    assert targets == {"tradewar.model._economy", "tradewar.data._cache", "tradewar.data._blocs",
                       "tradewar.analysis._optimal", "tradewar.scenario._compile"}
    assert _package("tradewar.scenario._run") == _owner_package("tradewar.scenario._compile")
    assert _package("tradewar.analysis.coalitions.compile") == "tradewar.analysis"
    assert _package("tradewar.errors") != _owner_package("tradewar.model._economy")
