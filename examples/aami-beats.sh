#!/usr/bin/env bash
# Inter-patient AAMI beat classes (N, S, V, F) on the MIT-BIH Arrhythmia Database:
# train on de Chazal's DS1 records, test on DS2. Usage: aami-beats.sh [DB_DIR] [WORK_DIR]
set -euo pipefail
db=${1:-data/mitdb}
work=${2:-work-aami}
ds1="101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230"
ds2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
mkdir -p "$work"
for set in ds1 ds2; do
  recs=()
  for r in ${!set}; do recs+=("$db/$r"); done
  ecg spectro "${recs[@]}" --out "$work/$set" --label aami
done
ecg train "$work/ds1" --test "$work/ds2" --out "$work/aami.model" --seed 1
ecg eval "$work/aami.model" "$work/ds2" --format json > "$work/aami-ds2.json"
