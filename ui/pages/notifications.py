"""Page module (being built)."""
