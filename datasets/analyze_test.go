package datasets

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
)

// A record and the same signal as a CSV file give the same beats; a
// signal the file lacks is a SignalError naming the file.
func TestAnalyzeInput(t *testing.T) {
	dir := t.TempDir()
	writeTestRecord(t, dir, "r", 60)
	var csv strings.Builder
	csv.WriteString("ecg\n")
	for i := 0; i < 60*100; i++ {
		v := 200 * math.Sin(float64(i)/10)
		if i%100 == 30 {
			v += 800
		}
		fmt.Fprintf(&csv, "%.3f\n", v/200)
	}
	file := filepath.Join(dir, "r.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	o := DeviceOptions{CSV: CSVOptions{Fs: 100}}
	fromRecord, err := o.AnalyzeInput(filepath.Join(dir, "r"), beats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := o.AnalyzeInput(file, beats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fromRecord.Beats); n < 55 || n > 61 || len(fromFile.Beats) != n {
		t.Errorf("beats: %d from the record, %d from the file; want the same, about 60", n, len(fromFile.Beats))
	}
	_, err = o.AnalyzeInput(file, beats.Options{Signal: "V5"})
	var se *beats.SignalError
	if !errors.As(err, &se) || se.Record != file {
		t.Errorf("--signals V5 of a CSV file: %v, want a SignalError naming %s", err, file)
	}
}
