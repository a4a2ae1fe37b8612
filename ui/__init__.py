"""Pages and components. Only services are called from here; no queries, no writes."""
