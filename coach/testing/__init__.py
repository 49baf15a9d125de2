"""Fakes shipped with the package, for tests, demos and benchmarks."""
