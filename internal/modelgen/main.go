// Command modelgen cuts a WFDB database into labelled single-lead segments
// for training the default rhythm model (make model):
//
//	go run ./internal/modelgen -db ../shared/data/mitdb -out .cache/rhythm-segments
//
// Each record's first ECG lead (MLII where present) is cut into windows of
// -window seconds every -hop seconds; a window is labelled by the reference
// rhythm (AUX notes of the atr annotations) covering at least -min-fraction
// of it, and written as a WFDB record (format 16) into OUT/LABEL/, named
// RECORD_START so that training groups windows by record. Rhythms found in
// fewer than -min-records records are left out (too few patients to learn
// from or to test on).
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

func main() {
	db := flag.String("db", "", "WFDB database directory (RECORDS or *.hea)")
	out := flag.String("out", "", "output directory for label folders")
	window := flag.Float64("window", 60, "window length in seconds")
	hop := flag.Float64("hop", 30, "step between windows in seconds")
	minFraction := flag.Float64("min-fraction", 0.8, "share of the window the rhythm must cover")
	minRecords := flag.Int("min-records", 3, "keep rhythms found in at least this many records")
	flag.Parse()
	if *db == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: modelgen -db DIR -out DIR")
		os.Exit(2)
	}
	if err := run(*db, *out, *window, *hop, *minFraction, *minRecords); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

type segment struct {
	record, label string
	span          datasets.Span
	x             []float64
	fs            float64
	units, desc   string
}

func run(db, out string, window, hop, minFraction float64, minRecords int) error {
	records, err := datasets.ListRecords(db)
	if err != nil {
		return err
	}
	var segs []segment
	recordsOf := map[string]map[string]bool{}
	for _, path := range records {
		rec, err := wfdb.ReadRecord(path)
		if err != nil {
			return err
		}
		anns, err := wfdb.ReadAnnotations(path, "atr")
		if err != nil {
			return err
		}
		h := rec.Header
		sig := 0
		for i, s := range h.Signals {
			if s.Description == "MLII" {
				sig = i
				break
			}
		}
		x := rec.Physical(sig)
		eps := wfdb.RhythmEpisodes(anns, int64(rec.NumFrames()))
		for _, sp := range datasets.Strides(int64(rec.NumFrames()), datasets.Samples(window, h.Fs), datasets.Samples(hop, h.Fs), false) {
			label, frac := datasets.RhythmOf(eps, sp)
			if label == "" || frac < minFraction {
				continue
			}
			label = datasets.SanitizeLabel(label)
			segs = append(segs, segment{record: h.Name, label: label, span: sp, x: x[sp.Start:sp.End], fs: h.Fs,
				units: h.Signals[sig].Units, desc: h.Signals[sig].Description})
			if recordsOf[label] == nil {
				recordsOf[label] = map[string]bool{}
			}
			recordsOf[label][h.Name] = true
		}
	}
	counts := map[string]int{}
	for _, s := range segs {
		if len(recordsOf[s.label]) < minRecords {
			continue
		}
		dir := filepath.Join(out, s.label)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		name := fmt.Sprintf("%s_%07d", s.record, s.span.Start)
		if err := writeSegment(dir, name, s); err != nil {
			return err
		}
		counts[s.label]++
	}
	labels := make([]string, 0, len(recordsOf))
	for l := range recordsOf {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		kept := "kept"
		if len(recordsOf[l]) < minRecords {
			kept = "left out"
		}
		fmt.Printf("%-6s %3d records %5d windows  %s\n", l, len(recordsOf[l]), counts[l], kept)
	}
	return nil
}

// writeSegment writes one window as a single-signal WFDB record in format
// 16 with a gain of 1000 adu/mV (1 µV resolution).
func writeSegment(dir, name string, s segment) error {
	const gain = 1000
	d := make([]int32, len(s.x))
	for i, v := range s.x {
		if math.IsNaN(v) {
			d[i] = wfdb.InvalidSample
			continue
		}
		d[i] = int32(math.Round(v * gain))
	}
	h := &wfdb.Header{
		Name: name, Fs: s.fs,
		Signals: []wfdb.SignalSpec{{
			FileName: name + ".dat", Format: 16, SamplesPerFrame: 1, Gain: gain,
			Units: s.units, ADCResolution: 16, Description: s.desc,
		}},
		Comments: []string{fmt.Sprintf(" %s samples %d-%d of record %s, rhythm %s", s.desc, s.span.Start, s.span.End, s.record, s.label)},
	}
	return wfdb.WriteRecord(dir, h, [][]int32{d})
}
