"""Administration page module (being built)."""
