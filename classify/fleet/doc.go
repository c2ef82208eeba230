// Package fleet scores many wearables at once: the live monitoring behind
// `ecg serve`.
//
// A Hub gives every device the `ecg stream` pipeline (package
// classify/stream: the live beat detector, sliding windows scored by a
// model, signal quality, alerts with the same rules), in a goroutine of
// its own with a bounded queue, so that one device's garbage, silence or
// flood never touches another's. Devices appear with their first message
// and are closed (last window, status "end") after Config.Idle without
// one; their number, the memory each may hold, the size of a message and
// each device's sample rate are bounded, and what is refused is counted,
// never fatal.
//
// # Input
//
// Messages come from an MQTT broker (MQTT: QoS 1, resubscribed on every
// reconnection) or from POST /ingest/{device} (Server), and are decoded by
// DecodeMessage: one JSON object with "ecg" (a number or an array of
// consecutive samples), "device_id" (default: the topic's last level),
// "fs", "ts" or "timestamp", "ppg" and "bpm":
//
//	{"device_id":"w17","ts":1718000000.04,"fs":250,"ecg":[0.12,0.15,0.31],"bpm":71}
//
// A device's rate is its messages' "fs", else the hub's Score.Fs (--fs),
// else inferred from the timestamps of its first two messages. Device ids
// are 1-64 characters of A-Z a-z 0-9 _ - . (ValidDevice): safe as file
// names, topic levels and metric labels.
//
// # Output
//
// Every event is a stream.Event whose body begins with the device's id
// ({"type":"window",...,"device":"w17","label":"AF",...}); Config.Emit
// receives them (JSONLines writes them as JSON lines; MQTT.Publish sends
// them to ecg/events/<device>, alerts also to ecg/alerts/<device>).
// Metrics keeps the Prometheus metrics: per device heart rate, quality,
// rhythm label and confidence, alert state, samples and rejected
// messages; ingest-to-event latency as a histogram; Go and process
// metrics.
//
// # Recording
//
// With Config.Record, a Recorder writes each device's samples as WFDB
// records (`ecg serve --record DIR`): segments in DIR/<device>/ (format
// 16, base time and date), a multi-segment master record per device and
// DIR/RECORDS listing the closed segments, with the window labels, rhythm
// changes (AUX "(AFIB", "(N") and alerts as "atr" annotations, so that
// `ecg spectro DIR --label rhythm` makes a pathology archive of what was
// monitored. The open segment is flushed every few seconds and readable
// as it is after a crash; write errors are "record" events, and scoring
// goes on.
package fleet
