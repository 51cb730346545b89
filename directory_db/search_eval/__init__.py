"""Search quality on an evaluation directory that is not the demo data's twin (see data/README.md)."""
