#!/usr/bin/env bash
# Score a serial ECG device live: one JSON line per event on stdout, alerts
# sent to notify.sh (which gets the alert JSON on its stdin).
# Usage: serial-stream.sh [DEVICE] [FS]
set -euo pipefail
dev=${1:-/dev/ttyUSB0}
fs=${2:-250}
ecg stream --serial "$dev" --baud 115200 --fs "$fs" \
  --window 60s --hop 10s --alert-threshold 0.8 --alert-windows 3 \
  --alert-exec "$(dirname "$0")/notify.sh" \
  | tee -a stream-events.jsonl
