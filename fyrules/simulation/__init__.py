"""Generators of realistic, reproducible case events (a month of cases; inspection outcomes),
for the demo, the benchmarks and tests. They sit above the domains and use them all."""
