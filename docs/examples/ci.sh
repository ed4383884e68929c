#!/bin/sh
# Any CI (Jenkins, a cron job, a git hook): check and test a rulebook, stop at the first failure.
# Usage: docs/examples/ci.sh [RULEBOOK]        (default: examples/fuyang). docs/ci.md.
set -u
RULEBOOK=${1:-examples/fuyang}

fyrules check "$RULEBOOK" --lang en
status=$?
case $status in
  0) ;;                                                     # valid (warnings allowed)
  1) echo "the rulebook has errors: fix them (docs/error-codes.md)" >&2; exit 1 ;;
  *) echo "fyrules check could not run (exit $status)" >&2; exit 2 ;;
esac

fyrules test "$RULEBOOK" --min-coverage 90 --lang en || exit $?
echo "rulebook $RULEBOOK: valid, tests pass"
