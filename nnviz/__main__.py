"""``python -m nnviz`` starts the app."""

from nnviz.app import main

raise SystemExit(main())
