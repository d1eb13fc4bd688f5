"""contributions domain."""
