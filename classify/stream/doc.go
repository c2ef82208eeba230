// Package stream scores live ECG: it reads samples from any io.Reader
// (standard input, a serial port, a pipe from a gateway), finds beats with
// the incremental detector of datasets/beats, cuts sliding windows, scores
// them with a classify model, watches signal quality, raises alerts, and
// emits events as JSON lines.
//
// # Input
//
// Text lines with one or more numeric columns (InputOptions.Column,
// Delimiter, an optional TimeColumn), JSON lines such as a wearable gateway
// sends ({"ecg": 0.12, "ts": 1718000000.125}, or "ecg" an array of
// consecutive samples), or raw little-endian int16. Values are converted to
// mV (Units, Gain, Baseline). The sampling rate is Config.Fs, or inferred
// from the first 256 timestamps.
//
// The decoder never stops on bad input: a line that is not a sample (text,
// NaN, too few columns, bad JSON) is counted as malformed; a line longer
// than MaxLine is skipped without being buffered and counted as too long
// (unlike bufio.Scanner, which stops for good on such a line); after a
// reconnection the next line is dropped as possibly partial. The counts are
// reported in status events.
//
// # Events
//
// Every event has type, sample (counted from 0), t (sample/fs, seconds)
// and wall (wall-clock time, RFC 3339 UTC):
//
//	{"type":"beat","sample":1234,"t":3.428,"wall":"...","rr":0.81}
//	{"type":"hr","sample":3600,"t":10,"wall":"...","hr":72.4,"beats":12}
//	{"type":"window","sample":21600,"t":60,"wall":"...","start":0,"end":21600,
//	 "label":"AF","confidence":0.93,"confident":true,"scores":{"AF":0.93,"N":0.07},
//	 "hr":95.2,"beats":94,"quality":"ok"}
//	{"type":"alert","sample":43200,"t":120,"wall":"...","state":"raised","label":"AF",
//	 "confidence":0.91,"windows":3,"since":0}
//	{"type":"status","sample":360,"t":1,"wall":"...","quality":"ok","samples":360,
//	 "fs":360,"malformed":0,"too_long":0,"partial":0,"header":0}
//
// Beat events (Config.Beats) come when the detector confirms a beat, a
// fixed delay after it; hr events once a second of signal; window events
// every Hop seconds once Window seconds have arrived; an alert is raised
// when a label outside Config.Normal and Config.NoiseLabels scores at
// least AlertThreshold in AlertWindows consecutive conclusive windows, and
// cleared at the first conclusive window below (a window predicted as a
// noise label is inconclusive);
// status events when quality or a counter changes, on reconnection, and at
// the end.
//
// # Running
//
// Run pumps one reader into a Stream until it ends; RunReconnecting opens
// an input (a serial port, a socket: any io.ReadCloser) and opens it
// again with backoff when it goes away.
//
// Samples are processed one at a time, so the same bytes give the same
// events (wall times aside) whatever the sizes of the reads. Memory is
// fixed once the stream starts: a ring of one window, a ring of the last
// 1024 beats, and two read buffers in Pump.
package stream
