#!/usr/bin/env bash
# Runs a benchmark binary with minimal time per case and checks that every
# case ran (twice, to exercise the spread) and the ratio table was printed.
# It asserts nothing about speed.
set -euo pipefail
output=$("$1" --benchmark_min_time=0.0001 --benchmark_repetitions=2 --benchmark_color=false 2>&1) || { echo "$output"; exit 1; }
echo "$output"
grep -q "boost/refipc" <<<"$output" || { echo "no ratio table"; exit 1; }
if grep -q "ERROR OCCURRED" <<<"$output"; then echo "a benchmark reported an error"; exit 1; fi
