#!/usr/bin/env bash
# Beat images (one spectrogram per reference beat, with the manifest's RR columns) of the
# MIT-BIH Arrhythmia Database: train the image network (and the image forest) on de Chazal's
# DS1 records, test once on DS2. docs/classify.md, "Measured: beat images, DS1 -> DS2".
# Usage: beat-images-ds1-ds2.sh [DB_DIR] [WORK_DIR] [KEEP_N]
#   KEEP_N: train on every KEEP_N-th N beat of DS1 (all S, V, F, Q beats), 5 by default: the
#   network costs about 4 ms of CPU per training image and epoch, so all 51,474 DS1 images for
#   20 epochs would take about an hour of CPU; 1 keeps them all. DS2 is never subsampled.
set -euo pipefail
db=${1:-data/mitdb}
work=${2:-work-beat-images}
keep=${3:-5}
ds1="101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230"
ds2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
mkdir -p "$work"
db=$(cd "$db" && pwd)

# 1. Folders of links to each set's records (as docs/classify.md's ds1/ and ds2/), then one
#    beat window per reference beat (0.25 s before, 0.45 s after), lead MLII, one archive per
#    set: DS1 51,474 images (N 45,848, S 944, V 4,260, F 414, Q 8), DS2 49,692.
for set in ds1 ds2; do
  mkdir -p "$work/records-$set"
  printf '%s\n' ${!set} > "$work/records-$set/RECORDS"
  while read -r r; do ln -sf "$db/$r".{hea,dat,atr} "$work/records-$set/"; done < "$work/records-$set/RECORDS"
  ecg spectro "$work/records-$set" --out "$work/$set" --label aami --signals MLII -q
done

# 2. The training archive: every KEEP_N-th N beat of DS1 in manifest order, every other beat,
#    as hard links with their manifest rows (the RR columns are the full record's).
sub="$work/ds1-n$keep"
rm -rf "$sub" && mkdir -p "$sub"
cp "$work/ds1/spectro-params.json" "$sub/"
awk -F, -v k="$keep" 'NR == 1 || $7 != "N" || (n++ % k) == 0' "$work/ds1/manifest.csv" > "$sub/manifest.csv"
tail -n +2 "$sub/manifest.csv" | cut -d, -f1 | while read -r img; do
  mkdir -p "$sub/$(dirname "$img")"
  ln "$work/ds1/$img" "$sub/$img" 2>/dev/null || cp "$work/ds1/$img" "$sub/$img"
done

# 3. Train on DS1 only (early stopping on 15 % of its records), test once on DS2. ecg train
#    warns that beat images do not learn the rhythm classes (measured with the forest).
ecg train "$sub" --learner cnn --test "$work/ds2" --seed 1 --out "$work/cnn.model" > "$work/cnn-ds2.txt"
ecg train "$work/ds1" --learner forest --test "$work/ds2" --seed 1 --out "$work/forest.model" > "$work/forest-ds2.txt"
cat "$work/cnn-ds2.txt" "$work/forest-ds2.txt"

# The signal route on the same records, for comparison (docs/classify.md):
#   ecg train --beats "$work/records-ds1" --test "$work/records-ds2" --out "$work/beats.model"
