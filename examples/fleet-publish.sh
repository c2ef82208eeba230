#!/usr/bin/env bash
# Publish a simulated fleet of wearables to an MQTT broker, in real time,
# the way `ecg serve` reads them: one JSON message of 0.1 s of ECG a device
# (10 a second), on dt/sensor/<device>, QoS 1. Every fifth device is in
# atrial fibrillation. Needs ecg and mosquitto_pub (Debian package
# mosquitto-clients).
#
#   examples/fleet-publish.sh [DEVICES] [HOST] [PORT]
#
# Watch it with:
#   ecg serve --mqtt tcp://HOST:PORT > events.jsonl   # dashboard: http://127.0.0.1:8080/
#   mosquitto_sub -h HOST -p PORT -t 'ecg/alerts/#'    # the alerts people subscribe to
set -euo pipefail
devices=${1:-10}
host=${2:-127.0.0.1}
port=${3:-1883}
fs=250
trap 'kill 0' EXIT INT TERM
for k in $(seq 1 "$devices"); do
  id=$(printf 'wear-%03d' "$k")
  rhythm=normal
  [ $((k % 5)) -eq 0 ] && rhythm=afib
  ecg simulate --rhythm "$rhythm" --fs "$fs" --duration 0 --realtime --seed "$k" |
    awk -v id="$id" -v fs="$fs" -v n=$((fs / 10)) '
      { s = s (c ? "," : "") $1; c++ }
      c == n { printf "{\"device_id\":\"%s\",\"fs\":%d,\"ecg\":[%s]}\n", id, fs, s; fflush(); s = ""; c = 0 }' |
    mosquitto_pub -h "$host" -p "$port" -t "dt/sensor/$id" -q 1 -l &
  echo "publishing $id ($rhythm) to dt/sensor/$id" >&2
done
wait
