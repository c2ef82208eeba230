package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

func TestCropsChecked(t *testing.T) {
	for _, o := range []options{{crops: -1}, {crops: 9, cropShare: 0.75}, {crops: 2, cropShare: 0.2}, {crops: 2, cropShare: 1}} {
		if err := o.checkCrops(); err == nil {
			t.Errorf("-crops %d -crop-share %v accepted", o.crops, o.cropShare)
		}
	}
	if err := (&options{crops: 0, cropShare: 5}).checkCrops(); err != nil {
		t.Errorf("no crops: %v", err)
	}
}

// -cv with -crops cross-validates crop views (the header says so), also
// with a feature family left out of every view.
func TestCrossValidateCrops(t *testing.T) {
	dir := t.TempDir()
	for k, rh := range []string{synth.Normal, synth.AFib} {
		label := []string{"N", "AFIB"}[k]
		if err := os.MkdirAll(filepath.Join(dir, label), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 250, Duration: 20, Seed: int64(10*k + i + 1), Noise: 0.02})
			if err != nil {
				t.Fatal(err)
			}
			s := segment{record: "r" + strconv.Itoa(10*k+i), label: label, span: datasets.Span{End: int64(len(rec.MV))},
				x: rec.MV, fs: rec.Fs, units: "mV", desc: "ECG"}
			if err := writeSegment(filepath.Join(dir, label), s.record+"_0000000", s); err != nil {
				t.Fatal(err)
			}
		}
	}
	o := options{cv: 2, data: dir, featureSets: []int{5}, ablate: []string{"rr_"}, trees: 5, jobs: 1, seed: 1, crops: 1, cropShare: 0.6}
	var w bytes.Buffer
	if err := crossValidate(context.Background(), &w, o); err != nil {
		t.Fatal(err)
	}
	out := w.Bytes()
	if !bytes.Contains(out, []byte("5 trees, 1 crop views of 0.6 of each file")) || !bytes.Contains(out, []byte("without rr_*")) {
		t.Errorf("report:\n%s", out)
	}
}
