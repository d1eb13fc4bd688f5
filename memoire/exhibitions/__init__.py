"""exhibitions domain."""
