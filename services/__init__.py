"""Every rule and every write. Pages and commands call these functions; nothing else touches the tables."""
