#!/usr/bin/env bash
# The end-to-end run of docs/serve.md through a real broker: a fleet
# simulated by `ecg simulate --mqtt` (DEVICES, AF of them in atrial
# fibrillation, MINUTES of signal at SPEED times real time) scored by
# `ecg serve --mqtt --record`, the recording cut into a pathology archive
# by `ecg spectro --label rhythm`, and a model trained on it tested on a
# second fleet (another --seed: devices it never saw). Needs ecg and
# mosquitto (Debian package mosquitto; `make serve-deps`).
#
#   examples/fleet-end-to-end.sh [OUT] [DEVICES] [AF] [MINUTES] [SPEED]
set -euo pipefail
out=${1:-fleet-e2e}
devices=${2:-20}
af=${3:-2}
minutes=${4:-10}
speed=${5:-10}
ecg=${ECG:-ecg}
mosquitto=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
[ -x "$mosquitto" ] || { echo "mosquitto not installed (make serve-deps)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
port=
for _ in $(seq 50); do # a free loopback port
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free loopback port found" >&2; exit 1; }
printf 'listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' "$port" > "$out/mosquitto.conf"
"$mosquitto" -c "$out/mosquitto.conf" 2> "$out/mosquitto.log" &
broker=$!
serve=
trap 'kill ${serve:-} $broker 2>/dev/null || true' EXIT
sleep 1

# One fleet: serve records it, simulate publishes it, serve is stopped.
fleet() { # NAME SEED
  local dir=$out/$1
  rm -rf "$dir" && mkdir -p "$dir"
  "$ecg" serve --mqtt "tcp://127.0.0.1:$port" --listen 127.0.0.1:0 --record "$dir/rec" --segment 2m \
    --window 30s --hop 5s --alert-threshold 0.5 --alert-windows 2 --rate-factor $((speed * 2 + 4)) \
    --queue 64 --events "$dir/events.jsonl" 2> "$dir/serve.log" &
  serve=$!
  sleep 1
  /usr/bin/time -f "simulate: %e s wall, %U s user, %S s sys" "$ecg" simulate --mqtt "tcp://127.0.0.1:$port" \
    --devices "$devices" --rhythms "afib=$af" --fs 250 --duration "${minutes}m" --speed "$speed" \
    --seed "$2" > "$dir/fleet.tsv" 2> "$dir/simulate.log"
  sleep 3
  # serve's CPU time so far (user + system, clock ticks in /proc).
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$serve/stat" 2>/dev/null || echo "?")
  echo "$1: serve CPU ${cpu} s for $devices devices x $minutes min"
  kill -TERM "$serve"
  wait "$serve"
  serve=
  tail -2 "$dir/simulate.log"
  echo "$1: AF devices: $(awk '$2 == "afib" { printf "%s ", $1 }' "$dir/fleet.tsv")"
  echo "$1: alerts raised: $(grep '"type":"alert"' "$dir/events.jsonl" | grep '"state":"raised"' |
    sed 's/.*"device":"\([^"]*\)".*/\1/' | sort | uniq -c | awk '{ printf "%s x%s ", $2, $1 }')"
  echo "$1: segments: $(wc -l < "$dir/rec/RECORDS")"
  "$ecg" -q spectro "$dir/rec" --label rhythm --stride 30s --hop 30s --out "$dir/arch" > "$dir/spectro.txt"
  echo "$1: archive: $(for d in "$dir"/arch/*/; do printf '%s %s  ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
}
fleet train 1
fleet test 2
"$ecg" -q train "$out/train/arch" --test "$out/test/arch" --label-map OTHER=AFIB --out "$out/fleet.model" | tee "$out/train.txt"
