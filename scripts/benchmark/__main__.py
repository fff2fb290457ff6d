"""`python -m scripts.benchmark`: see scripts/bench."""

from scripts.benchmark.cli import main

raise SystemExit(main())
