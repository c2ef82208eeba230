#!/usr/bin/env bash
# The fleet step of `make demo`: Mosquitto on a free loopback port,
# `ecg serve` on it, five simulated wearables (one in atrial fibrillation)
# published by `ecg simulate --mqtt` for about 20 s (80 s of signal at
# speed 4), the dashboard's URL printed while it runs, then everything
# stopped and what was scored summed up. Skipped, with a message, when
# mosquitto is not installed (`make serve-deps`).
#
#   examples/fleet-demo.sh [ECG] [OUT]
set -euo pipefail
ecg=${1:-ecg}
out=${2:-ecg-demo/fleet}
mosquitto=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
echo
echo "== Fleet: five wearables through an MQTT broker into ecg serve"
if [ ! -x "$mosquitto" ]; then
  echo "skipped: mosquitto is not installed (Debian package mosquitto; make serve-deps)"
  exit 0
fi
mkdir -p "$out"
rm -f "$out/events.jsonl"
port=
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free loopback port found" >&2; exit 1; }
printf 'listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$out/mosquitto.conf"
"$mosquitto" -c "$out/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
broker=$!
serve=
cleanup() {
  [ -n "$serve" ] && kill -TERM "$serve" 2>/dev/null && wait "$serve" 2>/dev/null
  kill "$broker" 2>/dev/null || true
  wait "$broker" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
"$ecg" serve --mqtt "tcp://127.0.0.1:$port" --listen 127.0.0.1:0 --window 30s --hop 5s \
  --alert-threshold 0.5 --alert-windows 2 --rate-factor 8 --events "$out/events.jsonl" 2> "$out/serve.log" &
serve=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's|.*dashboard \(http://[^ ,]*/\),.*|\1|p' "$out/serve.log")
  [ -n "$url" ] && grep -q "subscribed to" "$out/serve.log" && break
  sleep 0.1
done
echo "broker tcp://127.0.0.1:$port; dashboard $url (open it now: it lives for about 20 s)"
"$ecg" simulate --mqtt "tcp://127.0.0.1:$port" --devices 5 --rhythms afib=1 --fs 250 \
  --duration 80s --speed 4 --seed 3 > "$out/fleet.tsv" 2> "$out/simulate.log"
tail -1 "$out/simulate.log"
sleep 1
kill -TERM "$serve"
wait "$serve"
serve=
echo "device    rhythm  windows  alerts raised"
while read -r dev rhythm _; do
  [ "$dev" = device ] && continue
  w=$(grep -c "\"type\":\"window\".*\"device\":\"$dev\"" "$out/events.jsonl" || true)
  a=$(grep "\"type\":\"alert\".*\"device\":\"$dev\"" "$out/events.jsonl" | grep -c '"state":"raised"' || true)
  printf '%-9s %-7s %7s  %s\n' "$dev" "$rhythm" "$w" "$a"
done < "$out/fleet.tsv"
echo "events: $out/events.jsonl; logs: $out/serve.log, $out/simulate.log"
