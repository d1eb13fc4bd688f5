"""places domain."""
