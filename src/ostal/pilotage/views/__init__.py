"""HTML pages of the pilotage (thin: forms parse, services decide, selectors scope)."""
