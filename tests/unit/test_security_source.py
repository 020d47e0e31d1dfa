"""Nothing in the package can turn message bytes into code: no pickle-like loaders, no eval/exec, no imports
chosen at run time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "stream"
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve", "jsonpickle"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__"}  # as names: re.compile is fine
UNSAFE_YAML = {"load", "unsafe_load", "full_load"}  # yaml.safe_load is the only reader allowed


def unsafe_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in UNSAFE_MODULES or (node.module == "importlib" and any(
                    a.name == "import_module" for a in node.names)):
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if (isinstance(func, ast.Name) and name in UNSAFE_BUILTINS) or name == "import_module":
                found.append(f"{name}() at line {node.lineno}")
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "yaml"
                    and name in UNSAFE_YAML):
                found.append(f"yaml.{name}() at line {node.lineno}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_security_source_has_no_code_loading_from_data(path):
    assert unsafe_uses(ast.parse(path.read_text(), str(path))) == []


@pytest.mark.parametrize("source", ["import pickle", "from marshal import loads", "eval(x)", "exec(code)",
                                    "compile(s, 'f', 'exec')", "__import__(name)", "importlib.import_module(name)",
                                    "from importlib import import_module", "yaml.load(text)"])
def test_security_source_scan_finds_each_unsafe_use(source):
    assert unsafe_uses(ast.parse(source))
