"""Data generator and benchmarks: `python -m bench.generate --scale S`, `python -m bench` (make bench)."""
