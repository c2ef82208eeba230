#!/usr/bin/env bash
# Train and evaluate a rhythm model on short single-lead wearable recordings
# labelled by a CSV (the PhysioNet/CinC Challenge 2017 layout: records/ with
# A00001.hea ... and REFERENCE.csv of record,label), without copying files
# into label folders. Labels are renamed on the way: A -> AF, ~ -> Noisy,
# O -> Other. Usage: examples/cinc2017-labels-train.sh [CINC_DIR] [OUT_DIR]
set -euo pipefail
cinc=${1:-../shared/data/cinc2017-train}
out=${2:-cinc-model}
mkdir -p "$out"
map='A=AF,~=Noisy,O=Other'

# The headers say checksum 0 (not computed by the converter): warnings, not errors.
ecg ingest "$cinc/records" --format tsv > "$out/ingest.tsv"

# Record-grouped 80/20 split, seed 1: the held-out report is printed and
# stored in the model.
ecg train "$cinc/records" --labels "$cinc/REFERENCE.csv" --label-map "$map" \
  --out "$out/cinc.model" --seed 1 | tee "$out/heldout.txt"

# The model on one recording, and on the whole set (the training data, so
# only a check that the path works; measure on records the model never saw).
ecg predict "$out/cinc.model" "$cinc/records/A00001"
ecg eval "$out/cinc.model" "$cinc/records" --labels "$cinc/REFERENCE.csv" --label-map "$map" \
  --format json > "$out/eval-train.json"
