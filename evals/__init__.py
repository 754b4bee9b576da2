"""Tau-bench-style agent eval suites. Arrives with the evals issue."""
