"""A tiny, safe evaluator for the conditions and factors the rule data writes as text
(`"0.7*energy_target < Y <= energy_target"`, `"min(1.5, energy_target / Y)"`): numbers,
named variables, + - * /, comparisons (chained), min and max. Nothing else parses."""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from typing import Any

__all__ = ["evaluate"]

_BIN = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
_FUNCS = {"min": min, "max": max}


def evaluate(text: str, names: Mapping[str, float]) -> Any:
    """The value of `text` with `names` bound.

    >>> evaluate("0.7*energy_target < Y <= energy_target", {"Y": 12.0, "energy_target": 15.0})
    True
    >>> evaluate("min(1.5, energy_target / Y)", {"Y": 10.0, "energy_target": 18.0})
    1.5
    """

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            return _BIN[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Compare) and all(type(op) in _CMP for op in node.ops):
            left = walk(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = walk(right_node)
                if not _CMP[type(op)](left, right):
                    return False
                left = right
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and not node.keywords
        ):
            return _FUNCS[node.func.id](*(walk(a) for a in node.args))
        raise ValueError(f"cannot evaluate {ast.unparse(node)!r} in {text!r}")

    return walk(ast.parse(text, mode="eval"))
