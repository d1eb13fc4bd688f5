"""Privacy: erasure and access requests."""
