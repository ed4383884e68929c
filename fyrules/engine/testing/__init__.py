"""Testing, the stage after evaluation: the rulebook's own test cases run, their coverage, the
static checks of test entries, and the reports ``fyrules check`` and ``fyrules test`` print."""
