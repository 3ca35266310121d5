"""Typer command line, thin: parse, call the engines, print."""
