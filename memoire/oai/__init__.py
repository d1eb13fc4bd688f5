"""oai domain."""
