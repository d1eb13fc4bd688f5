"""preservation domain."""
