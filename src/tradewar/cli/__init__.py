"""Command-line interface (`tradewar …`)."""

from ._app import app, main

__all__ = ["app", "main"]
