"""The type stubs describe the compiled module: every public class, method and property of
`service_quality._native` is in `_native.pyi`, and the stubs name nothing that is not there."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import service_quality as sq
from service_quality import _native

STUB = Path(sq.__file__).with_name("_native.pyi")


def _stub_members():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    classes, functions, constants = {}, set(), set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            functions.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            constants.add(node.target.id)
    return classes, functions, constants


def test_stubs_match_the_module():
    classes, functions, constants = _stub_members()
    public = {n for n in dir(_native) if not n.startswith("_")}
    for name in public:
        obj = getattr(_native, name)
        if inspect.isclass(obj):
            assert name in classes, f"class {name} missing from the stubs"
            members = {m for m in vars(obj) if not m.startswith("__")}
            assert members == classes[name] - {"__init__", "__len__", "__eq__"}, name
        elif callable(obj):
            assert name in functions, name
        else:
            assert name in constants, name
    assert set(classes) | functions | (constants - {"__version__"}) <= public | {"__version__"}


def test_every_public_item_has_a_docstring():
    for name in sq.__all__:
        obj = getattr(sq, name)
        if inspect.isclass(obj) or callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 20, name
            for member, value in vars(obj).items() if inspect.isclass(obj) else []:
                if not member.startswith("_") or member == "_time_rust_loop":
                    assert getattr(value, "__doc__", None), f"{name}.{member}"
