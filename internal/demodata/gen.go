//go:build ignore

// gen cuts the demo excerpts from the MIT-BIH Arrhythmia Database:
//
//	go run gen.go ../../../shared/data/mitdb
//
// Each excerpt is the first minutes of a record, written in format 212 with
// its reference annotations (those inside the excerpt), and a header comment
// saying where it comes from.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// The excerpts: record and length in seconds. They were chosen for their
// rhythms: 100 normal sinus, 201 atrial fibrillation then nodal and sinus,
// 221 atrial fibrillation, 232 sinus bradycardia.
var excerpts = []struct {
	record  string
	seconds float64
}{
	{"100", 300}, {"201", 300}, {"221", 285}, {"232", 180},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go MITDB_DIR")
		os.Exit(2)
	}
	for _, e := range excerpts {
		if err := cut(filepath.Join(os.Args[1], e.record), e.seconds, "mitdb"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func cut(path string, seconds float64, outDir string) error {
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return err
	}
	n := int64(seconds * h.Fs)
	rec, err := wfdb.ReadRecordRange(path, 0, n)
	if err != nil {
		return err
	}
	out := *h
	out.NSamples = 0
	out.Signals = append([]wfdb.SignalSpec(nil), h.Signals...)
	data := make([][]int32, rec.NumSignals())
	for s := range out.Signals {
		out.Signals[s].FileName = h.Name + ".dat"
		out.Signals[s].Format = 212
		data[s] = rec.Digital(s)
	}
	out.Comments = append([]string{fmt.Sprintf(" Excerpt: the first %g s of MIT-BIH Arrhythmia Database record %s (PhysioNet mitdb 1.0.0, ODC-BY 1.0).", seconds, h.Name)}, h.Comments...)
	if err := wfdb.WriteRecord(outDir, &out, data); err != nil {
		return err
	}
	anns, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		return err
	}
	var keep []wfdb.Annotation
	for _, a := range anns {
		if a.Sample < n {
			keep = append(keep, a)
		}
	}
	return wfdb.WriteAnnotations(filepath.Join(outDir, h.Name), "atr", keep)
}
