#!/usr/bin/env bash
# ecg beats against gqrs the way a script runs them: one process per
# record, pinned to one core (taskset -c 0), over the records of a
# database (the 48 of the MIT-BIH Arrhythmia Database), wall time of the
# whole loop. The tools alternate run by run so that machine noise hits
# them alike; prints the median of RUNS runs of each (wall seconds, and
# user+sys CPU seconds) and the ratio of the wall medians (gqrs / ecg).
# A second ecg binary (BASE_ECG=path) is timed in the same rotation, e.g.
# the build before a change.
# Usage: docs/bench/beats-per-record.sh [ECG_BIN] [WFDB_BIN_DIR] [MITDB_DIR]
set -euo pipefail
ecg=$(realpath "${1:-bin/ecg}")
wfdb=$(realpath "${2:-.cache/wfdb/bin}")
db=$(realpath "${3:-../shared/data/mitdb}")
base=${BASE_ECG:+$(realpath "$BASE_ECG")}
runs=${RUNS:-7}
export LD_LIBRARY_PATH="$wfdb/../lib:$wfdb/../lib64:${LD_LIBRARY_PATH:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# time_loop NAME LOOP: times the shell loop LOOP, appends "wall cpu" to $tmp/NAME
time_loop() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "$2" || { echo "failed: $2" >&2; exit 1; }
  awk '{printf "%s %.3f\n", $1, $2+$3}' "$tmp/t" >> "$tmp/$1"
}
wall() { cut -d' ' -f1 "$tmp/$1" | median; }
report() { printf "%-26s wall %6.3f s   cpu %6.3f s\n" "$1" "$(wall "$1")" "$(cut -d' ' -f2 "$tmp/$1" | median)"; }

# gqrs finds records through the WFDB path and writes its annotation file
# into the current directory: run the tools from the temporary directory.
cd "$tmp"
export WFDB="$db"
recs=$(tr -s "\r\n" "  " < "$db/RECORDS")
names=("gqrs" "ecg beats --summary")
[ -n "$base" ] && names+=("base: ecg beats --summary")
for i in $(seq "$runs"); do
  time_loop "gqrs" "for r in $recs; do taskset -c 0 '$wfdb/gqrs' -r \$r > /dev/null 2>&1; done"
  time_loop "ecg beats --summary" "for r in $recs; do taskset -c 0 '$ecg' beats '$db/'\$r --summary --quiet > /dev/null; done"
  if [ -n "$base" ]; then
    time_loop "base: ecg beats --summary" "for r in $recs; do taskset -c 0 '$base' beats '$db/'\$r --summary --quiet > /dev/null; done"
  fi
done
for n in "${names[@]}"; do report "$n"; done
awk -v g="$(wall gqrs)" -v e="$(wall "ecg beats --summary")" 'BEGIN{printf "gqrs / ecg (wall medians): %.2f\n", g/e}'
