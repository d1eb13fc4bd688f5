"""stories domain."""
