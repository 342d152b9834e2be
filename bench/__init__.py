"""Amparo's performance harness: `make bench` and `make bench-quick` (see PERFORMANCE.md)."""
