"""``python -m lrplot`` runs the command line."""

from lrplot.cli import main

raise SystemExit(main())
