#!/usr/bin/env bash
# Side-by-side timings of ecg against the WFDB Software Package, in one run,
# alternating the two so that machine noise hits both alike. Prints medians
# of RUNS runs (wall seconds, and user+sys CPU seconds).
# Usage: docs/bench/compare-tools.sh [ECG_BIN] [WFDB_BIN_DIR] [MITDB_DIR]
set -euo pipefail
ecg=$(realpath "${1:-bin/ecg}")
wfdb=$(realpath "${2:-.cache/wfdb/bin}")
db=$(realpath "${3:-../shared/data/mitdb}")
runs=${RUNS:-7}
export LD_LIBRARY_PATH="$wfdb/../lib:$wfdb/../lib64:${LD_LIBRARY_PATH:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# time_cmd NAME CMD...: appends "wall cpu" to $tmp/NAME
time_cmd() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  awk '{printf "%s %.3f\n", $1, $2+$3}' "$tmp/t" >> "$tmp/$name"
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
report() {
  printf "%-34s wall %6.3f s   cpu %6.3f s\n" "$1" "$(cut -d' ' -f1 "$tmp/$1" | median)" "$(cut -d' ' -f2 "$tmp/$1" | median)"
}

# The WFDB tools find records through the WFDB path and write annotation
# files into the current directory: run them from the temporary directory.
cd "$tmp"
export WFDB="$db"
recs=$(tr -s "\r\n" "  " < "$db/RECORDS")
for i in $(seq "$runs"); do
  time_cmd "ecg export 100" "$ecg" export "$db/100"
  time_cmd "rdsamp -r 100" "$wfdb/rdsamp" -r 100
  time_cmd "ecg export 100 --physical" "$ecg" export "$db/100" --physical
  time_cmd "rdsamp -r 100 -p" "$wfdb/rdsamp" -r 100 -p
  time_cmd "ecg info (48 records)" "$ecg" info "$db" --quiet
  time_cmd "ecg beats (48 records, 1 job)" "$ecg" beats "$db" --summary --jobs 1 --quiet
  time_cmd "gqrs (48 records)" bash -c "for r in $recs; do '$wfdb/gqrs' -r \$r; done"
done
for n in "ecg export 100" "rdsamp -r 100" "ecg export 100 --physical" "rdsamp -r 100 -p" "ecg info (48 records)" "ecg beats (48 records, 1 job)" "gqrs (48 records)"; do
  report "$n"
done
