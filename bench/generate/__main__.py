"""`python -m bench.generate --scale S`."""

from bench.generate import main

main()
