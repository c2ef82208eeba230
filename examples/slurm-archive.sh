#!/usr/bin/env bash
# Spread a large archive over a Slurm job array: task K of N archives every
# N-th record starting at K; the per-shard manifests concatenate.
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
set -euo pipefail
db=${DB:-data/mitdb}
out=${OUT:-archive}
n=${SLURM_ARRAY_TASK_COUNT:-16}
k=${SLURM_ARRAY_TASK_ID:-0}
ecg spectro "$db" --out "$out" --label rhythm --shard "$k/$n" --jobs "${SLURM_CPUS_PER_TASK:-4}" --quiet
# After the array finishes (e.g. a dependent job):
#   ecg train "$out" --out rhythm.model
