#!/usr/bin/env bash
# Build rhythm archives from the MIT-BIH Arrhythmia Database and train on them,
# with train and test records kept apart (de Chazal's DS1/DS2 patient split).
# Usage: mitdb-archive-train.sh [DB_DIR] [WORK_DIR]
set -euo pipefail
db=${1:-data/mitdb}
work=${2:-work}
ds1="101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230"
ds2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
mkdir -p "$work"

# 1. Download (resumes; a second run only verifies the SHA-256 of each file).
[ -f "$db/RECORDS" ] || ecg datasets fetch mitdb --dir "$db"

# 2. Check every record: headers, checksums, annotations (exit 3 if any fails).
ecg ingest "$db"

# 3. One-minute strides labelled by the reference rhythm, one archive per record set.
for set in ds1 ds2; do
  recs=()
  for r in ${!set}; do recs+=("$db/$r"); done
  ecg spectro "${recs[@]}" --out "$work/$set" --label rhythm --stride 60s --hop 60s
done

# 4. Train on DS1, report on DS2 (no patient on both sides). Evaluating on the
#    images a model was trained on would report near-perfect numbers: don't.
ecg train "$work/ds1" --test "$work/ds2" --out "$work/rhythm.model" --seed 1

# 5. Per-label precision, recall, F1, confusion matrix and plots on DS2.
ecg eval "$work/rhythm.model" "$work/ds2" --plots "$work/plots"

# For a database without a published split, let train hold out whole records:
#   ecg spectro DB --out archive --label rhythm
#   ecg train archive --out rhythm.model --split 0.8 --seed 1   # prints the held-out report
