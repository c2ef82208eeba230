#!/usr/bin/env bash
# ecg beats against gqrs the way a script runs them: one process per
# record, pinned to one core (taskset -c 0), over the records of a
# database (the 48 of the MIT-BIH Arrhythmia Database), wall time of the
# whole loop. The tools alternate run by run so that machine noise hits
# them alike; prints the median of RUNS runs of each (wall seconds, and
# user+sys CPU seconds) and the ratio of the wall medians (gqrs / ecg).
# A second ecg binary (BASE_ECG=path) is timed in the same rotation, e.g.
# the build before a change. CLASSIFY=MODEL times ecg beats --classify
# MODEL (e.g. CLASSIFY=default, the embedded beat model: detection,
# features and the forest, the beats table written) instead of --summary;
# ECG_ARGS="..." any other arguments (ECG_ARGS= for the beats table alone).
# Usage: docs/bench/beats-per-record.sh [ECG_BIN] [WFDB_BIN_DIR] [MITDB_DIR]
set -euo pipefail
ecg=$(realpath "${1:-bin/ecg}")
wfdb=$(realpath "${2:-.cache/wfdb/bin}")
db=$(realpath "${3:-../shared/data/mitdb}")
base=${BASE_ECG:+$(realpath "$BASE_ECG")}
runs=${RUNS:-7}
args="--summary"
[ -n "${CLASSIFY:-}" ] && args="--classify $CLASSIFY"
[ -n "${ECG_ARGS+set}" ] && args=$ECG_ARGS
export LD_LIBRARY_PATH="$wfdb/../lib:$wfdb/../lib64:${LD_LIBRARY_PATH:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# times_of NAME: the file of NAME's times (NAME may hold spaces and slashes).
times_of() { printf '%s/times.%s' "$tmp" "$(printf '%s' "$1" | tr -c 'A-Za-z0-9' _)"; }
# time_loop NAME LOOP: times the shell loop LOOP, appends "wall cpu" to NAME's file
time_loop() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "$2" || { echo "failed: $2" >&2; exit 1; }
  awk '{printf "%s %.3f\n", $1, $2+$3}' "$tmp/t" >> "$(times_of "$1")"
}
wall() { cut -d' ' -f1 "$(times_of "$1")" | median; }
report() { printf "%-34s wall %6.3f s   cpu %6.3f s\n" "$1" "$(wall "$1")" "$(cut -d' ' -f2 "$(times_of "$1")" | median)"; }

# gqrs finds records through the WFDB path and writes its annotation file
# into the current directory: run the tools from the temporary directory.
cd "$tmp"
export WFDB="$db"
recs=$(tr -s "\r\n" "  " < "$db/RECORDS")
mine="ecg beats $args"
names=("gqrs" "$mine")
[ -n "$base" ] && names+=("base: $mine")
for i in $(seq "$runs"); do
  time_loop "gqrs" "for r in $recs; do taskset -c 0 '$wfdb/gqrs' -r \$r > /dev/null 2>&1; done"
  time_loop "$mine" "for r in $recs; do taskset -c 0 '$ecg' beats '$db/'\$r $args --quiet > /dev/null; done"
  if [ -n "$base" ]; then
    time_loop "base: $mine" "for r in $recs; do taskset -c 0 '$base' beats '$db/'\$r $args --quiet > /dev/null; done"
  fi
done
for n in "${names[@]}"; do report "$n"; done
awk -v g="$(wall gqrs)" -v e="$(wall "$mine")" 'BEGIN{printf "gqrs / ecg (wall medians): %.2f\n", g/e}'
