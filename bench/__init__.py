"""Hand-run benchmarks of the portal (python -m bench); see docs/performance.md."""
