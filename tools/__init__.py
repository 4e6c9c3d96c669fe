"""Developer tools run by the Makefile and CI (not part of the app)."""
