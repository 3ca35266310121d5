"""Bilingual tokens: Chinese by rjieba (search mode, so 电解质 also yields 电解), English and
codes lower-cased; stop words and punctuation dropped."""

from __future__ import annotations

import re
import unicodedata

import rjieba

__all__ = ["STOP_WORDS", "tokenize"]

_WORD = re.compile(r"[0-9a-z]+(?:[.\-+][0-9a-z]+)*", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u9fff]")

STOP_WORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or that the their
    this to with we our us need needs want wants looking seek seeking partner partners supplier
    suppliers company firm able can which who will should must least at
    的 和 与 及 或 在 为 对 于 等 一 个 了 是 有 我们 需要 寻求 寻找 希望 能够 可以 提供 相关 用于
    面向 以及 进行 具有 不 低于 高于 以上 以下 合作 伙伴 供应商 企业 公司""".split()  # noqa: SIM905 - a word list reads better as text
)


def _latin(token: str) -> str:
    token = token.lower()
    if not token.isalpha():
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Tokens of a Chinese, English or mixed text, for indexing and for queries alike.

    >>> tokenize("固态电池 solid-state batteries, 500 TOPS")
    ['固态', '电池', 'solid', 'state', 'solid-state', 'battery', '500', 'top']
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for piece in rjieba.cut_for_search(text):
        piece = piece.strip()
        if not piece:
            continue
        if _HAN.search(piece):
            if piece not in STOP_WORDS:
                out.append(piece)
            continue
        for word in _WORD.findall(piece):
            token = _latin(word)
            if token not in STOP_WORDS:
                out.append(token)
    return out
