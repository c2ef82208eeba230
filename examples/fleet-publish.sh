#!/usr/bin/env bash
# Publish a simulated fleet of wearables to an MQTT broker, in real time,
# the way `ecg serve` reads them: one JSON message of 0.1 s of ECG a device
# (10 a second), on dt/sensor/<device>, QoS 1. One device in five is in
# atrial fibrillation. A thin wrapper of `ecg simulate --mqtt`, which
# prints which device has which rhythm.
#
#   examples/fleet-publish.sh [DEVICES] [HOST] [PORT] [SPEED]
#
# Watch it with:
#   ecg serve --mqtt tcp://HOST:PORT > events.jsonl   # dashboard: http://127.0.0.1:8080/
#   mosquitto_sub -h HOST -p PORT -t 'ecg/alerts/#'    # the alerts people subscribe to
set -euo pipefail
devices=${1:-10}
host=${2:-127.0.0.1}
port=${3:-1883}
speed=${4:-1}
exec "${ECG:-ecg}" simulate --mqtt "tcp://$host:$port" --devices "$devices" \
  --rhythms "afib=$((devices / 5))" --fs 250 --duration 0 --speed "$speed" --seed 1
