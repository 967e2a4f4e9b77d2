"""Benchmarks for `make bench`; the last line of stdout is one JSON object (CONTRACT §5)."""
