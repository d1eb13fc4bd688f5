"""Cross-domain infrastructure: database base class, unit of work, storage, errors."""
