#!/usr/bin/env bash
# Grouped 5-fold CV of a rhythm model trained on the MIT-BIH windows of
# `make model` together with the CinC 2017 shared set: do the MIT-BIH
# windows help or hurt on wearable recordings, does the CinC set help or
# hurt on MIT-BIH, and which MIT-BIH labels to keep.
#   TEST=cinc (default): CinC records in 5 folds (fold = row number mod 5
#     of the labels CSV; one record per patient there), scored on the CinC
#     fold; the MIT-BIH windows (MIT_LABELS=AFIB,B,P keeps only those
#     labels; MIT=0 none) always train.
#   TEST=mit: MIT-BIH patients in 5 folds (sorted, patient number mod 5),
#     scored on all windows of the fold; training is the other folds'
#     windows (MIT_LABELS filters them) and every CinC record (CINC=0 none).
# Prints the pooled per-label F1 over the 5 held-out folds, the Challenge
# F1 (mean F1 of N, AFIB, OTHER) and the mean F1 of the MIT-BIH labels.
# Usage: docs/bench/combined-cv.sh ECG_BIN MODEL_DIR LABEL_MAP [TRAIN_FLAGS...]
#   MODEL_DIR: from `go run ./internal/modelgen -db mitdb -out DIR -also cinc2017-train`
set -euo pipefail
ecg=$1 dir=$2 map=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -F, -v keep="${MIT_LABELS:-}" -v t="$tmp" '
  BEGIN { n = split(keep, k, ","); for (i = 1; i <= n; i++) K[k[i]] = 1 }
  NR == 1 { next }
  $1 ~ /^cinc2017-train\// { print > (t "/cinc" (c++ % 5) ".csv"); next }
  { split($3, g, ":"); f = g[2] % 5; print > (t "/mitall" f ".csv")
    if (keep == "" || ($2 in K)) print > (t "/mit" f ".csv") }' "$dir/labels.csv"
for k in 0 1 2 3 4; do
  : > "$tmp/train.csv"; : > "$tmp/test.csv"
  for j in 0 1 2 3 4; do
    if [ "${TEST:-cinc}" = cinc ]; then
      [ "${MIT:-1}" = 1 ] && cat "$tmp/mit$j.csv" >> "$tmp/train.csv" 2>/dev/null || true
      if [ $j = $k ]; then cat "$tmp/cinc$j.csv" >> "$tmp/test.csv"; else cat "$tmp/cinc$j.csv" >> "$tmp/train.csv"; fi
    else
      [ "${CINC:-1}" = 1 ] && cat "$tmp/cinc$j.csv" >> "$tmp/train.csv"
      if [ $j = $k ]; then cat "$tmp/mitall$j.csv" >> "$tmp/test.csv"; else cat "$tmp/mit$j.csv" >> "$tmp/train.csv" 2>/dev/null || true; fi
    fi
  done
  "$ecg" train "$dir" --labels "$tmp/train.csv" --label-map "$map" --test "$dir" --test-labels "$tmp/test.csv" \
    --out "$tmp/m.model" --format json --quiet "$@" > "$tmp/r$k.json"
done
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys, glob, collections
conf = collections.Counter()
for f in sorted(glob.glob(sys.argv[1] + "/r*.json")):
    h = json.load(open(f))["heldout"]
    L = h["labels"]
    for i, row in enumerate(h["confusion"]):
        for j, c in enumerate(row[:len(L)]):
            conf[(L[i], L[j])] += c
labels = sorted({a for a, _ in conf} | {b for _, b in conf})
def f1(l):
    tp = conf[(l, l)]
    p = sum(conf[(x, l)] for x in labels)
    r = sum(conf[(l, x)] for x in labels)
    return 2 * tp / (p + r) if p + r else 0.0
present = [l for l in labels if sum(conf[(l, x)] for x in labels) > 0]
scores = {l: f1(l) for l in present}
ch = [scores.get(l, 0.0) for l in ("N", "AFIB", "OTHER")]
mit = [scores[l] for l in ("AFIB", "B", "N", "P") if l in scores]
print("challenge F1 %.4f  MIT-labels mean F1 %.4f  " % (sum(ch) / 3, sum(mit) / max(len(mit), 1))
      + "  ".join("%s %.3f" % (l, s) for l, s in sorted(scores.items())))
print("confusion (rows true, columns predicted):", " ".join(labels))
for a in present:
    print("  %-6s" % a, " ".join("%5d" % conf[(a, b)] for b in labels))
PY
