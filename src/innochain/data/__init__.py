"""The bundled real dataset, its loader and its checker."""

from innochain.data.bundled import BUNDLED, load_bundled
from innochain.data.check import CheckReport, check_dataset

__all__ = ["BUNDLED", "CheckReport", "check_dataset", "load_bundled"]
