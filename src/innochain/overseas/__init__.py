"""The going-overseas engine: a sourced, dated knowledge base of target markets, export
checklists for a vehicle, side-by-side market differences, and the standards map."""

from innochain.overseas import alerts
from innochain.overseas.checklist import Vehicle, checklist, diff, market
from innochain.overseas.knowledge import load_markets, load_standards
from innochain.overseas.report import PdfUnavailable, checklist_html, checklist_pdf

__all__ = [
    "PdfUnavailable",
    "Vehicle",
    "alerts",
    "checklist",
    "checklist_html",
    "checklist_pdf",
    "diff",
    "load_markets",
    "load_standards",
    "market",
]
