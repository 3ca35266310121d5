"""innochain: an open platform for the automotive innovation ecosystem."""

__version__ = "0.1.0"
