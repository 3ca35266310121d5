"""One exception family for every engine, surface and store function."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = [
    "Forbidden",
    "Infeasible",
    "InnochainError",
    "InvalidInput",
    "NotAuthenticated",
    "NotFound",
    "NotMigrated",
    "Problem",
    "TooManyRequests",
    "pydantic_problem",
    "validated",
]

M = TypeVar("M", bound=BaseModel)


class InnochainError(Exception):
    """Base of every error innochain raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One precise complaint about input: where it is and what is wrong."""

    reason: str
    file: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = ":".join(
            part
            for part in (self.file, "" if self.row is None else str(self.row), self.column)
            if part
        )
        return f"{where}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


class InvalidInput(InnochainError):
    """Input that cannot be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | str) -> None:
        self.problems = [Problem(problems)] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, column: str, reason: str) -> InvalidInput:
        """One problem with one named field: `InvalidInput.at("amount_m", "must be > 0")`."""
        return cls([Problem(reason, column=column)])

    @classmethod
    def from_validation(cls, error: Any) -> InvalidInput:
        """The problems of a pydantic `ValidationError`, each naming its field."""
        return cls([pydantic_problem(e) for e in error.errors()])


def pydantic_problem(error: Mapping[str, Any], *, skip: int = 0) -> Problem:
    """One pydantic error as a `Problem`. `skip` drops leading location parts (FastAPI's
    "body"). A whole-model check names its field as "field: reason" in the message.

    >>> str(pydantic_problem({"loc": ("body",), "msg": "Value error, trl: 9 is too high"}, skip=1))
    'trl: 9 is too high'
    """
    column = ".".join(str(p) for p in tuple(error["loc"])[skip:])
    reason = str(error["msg"]).removeprefix("Value error, ")
    if not column and (named := re.match(r"^([a-z_][a-z0-9_.]*): (.+)$", reason, re.S)):
        column, reason = named.groups()
    return Problem(reason, column=column)


class NotFound(InnochainError):
    """A record that does not exist (or that the caller may not see)."""


class Infeasible(InnochainError):
    """A problem with no solution under the given constraints."""


class NotMigrated(InnochainError):
    """The database schema is not at the version this code needs."""


class NotAuthenticated(InnochainError):
    """No valid credentials: a wrong password, an expired session, a revoked token."""


class Forbidden(InnochainError):
    """Signed in, but not allowed to do this (e.g. a viewer writing, a member administering).

    Only for actions on things the caller can see; a record the caller may not see is
    `NotFound`, so that the answer never confirms it exists.
    """


class TooManyRequests(InnochainError):
    """A rate limit or a login lockout; `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


def validated(model: type[M], data: M | Mapping[str, Any] | BaseModel) -> M:
    """`data` as a checked `model`: an instance passes through, a mapping (or another model's
    fields) is validated; a failure is `InvalidInput` naming each field."""
    if isinstance(data, model):
        return data
    raw = data.model_dump() if isinstance(data, BaseModel) else data
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise InvalidInput.from_validation(error) from None
