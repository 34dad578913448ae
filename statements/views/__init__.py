"""Public views: lists (with filters), exports (CSV), details, overview."""
