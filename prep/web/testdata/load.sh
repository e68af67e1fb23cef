#!/bin/sh
# Load the prep form on loopback and print the figures: GET and POST at a
# fixed 500 requests/s for 10 s each (p50/p90/p99/max), then wrk's
# throughput and latency percentiles when wrk is installed
# (apt-get install wrk). The target is p99 under 10 ms at 500 requests/s.
#
#   prep/web/testdata/load.sh                          # defaults
#   ONEONONE_LOAD_RATE=1000 prep/web/testdata/load.sh  # another pace
set -eu
cd "$(dirname "$0")/../../.."
command -v wrk >/dev/null 2>&1 || echo "load.sh: wrk is not installed (apt-get install wrk); only the paced run" >&2
ONEONONE_LOAD=1 exec go test -count=1 -run '^TestLoad$' -v -timeout 10m ./prep/web/ "$@"
