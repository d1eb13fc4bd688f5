"""transcripts domain."""
