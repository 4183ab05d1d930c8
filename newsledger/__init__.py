"""newsledger: raw news in, an auditable ledger of who said what out."""

__version__ = "0.1.0"
