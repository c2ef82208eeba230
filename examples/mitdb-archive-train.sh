#!/usr/bin/env bash
# Build a rhythm archive from the MIT-BIH Arrhythmia Database and train on it.
# Usage: mitdb-archive-train.sh [DB_DIR] [WORK_DIR]
set -euo pipefail
db=${1:-data/mitdb}
work=${2:-work}
mkdir -p "$work"

# 1. Download (resumes; a second run only verifies the SHA-256 of each file).
[ -f "$db/RECORDS" ] || ecg datasets fetch mitdb --dir "$db"

# 2. Check every record: headers, checksums, annotations (exit 3 if any fails).
ecg ingest "$db"

# 3. One-minute strides labelled by the reference rhythm annotations.
ecg spectro "$db" --out "$work/archive" --label rhythm --stride 60s --hop 60s

# 4. Train with a split grouped by record (no patient in both train and test).
ecg train "$work/archive" --out "$work/rhythm.model" --split 0.8 --seed 1

# 5. Per-label precision, recall, F1 and the confusion matrix.
ecg eval "$work/rhythm.model" "$work/archive" --plots "$work/plots"
