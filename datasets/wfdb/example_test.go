package wfdb_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Read the first seconds of MIT-BIH record 100 and print a few samples in
// ADC units and in millivolts.
func ExampleReadRecord() {
	rec, err := wfdb.ReadRecord("testdata/mitdb/100s")
	if err != nil {
		fmt.Println(err)
		return
	}
	h := rec.Header
	fmt.Printf("%s: %d frames at %g Hz, signals %s and %s\n", h.Name, rec.NumFrames(), h.Fs, h.Signals[0].Description, h.Signals[1].Description)
	mlii := rec.Digital(0)
	mv := rec.Physical(0)
	for i := 360; i < 363; i++ {
		fmt.Printf("%d: %d adu = %.3f mV\n", i, mlii[i], mv[i])
	}
	fmt.Println("checksums:", rec.VerifyChecksums() == nil)
	// Output:
	// 100s: 3600 frames at 360 Hz, signals MLII and V5
	// 360: 917 adu = -0.535 mV
	// 361: 923 adu = -0.505 mV
	// 362: 941 adu = -0.415 mV
	// checksums: true
}

// Write a two-signal record in format 212 and print its header.
func ExampleWriteRecord() {
	dir, err := os.MkdirTemp("", "wfdb")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	h := &wfdb.Header{Name: "demo", Fs: 250, Signals: []wfdb.SignalSpec{
		{FileName: "demo.dat", Format: wfdb.Format212, Gain: 200, Baseline: 0, Units: "mV", ADCResolution: 12, Description: "II"},
		{FileName: "demo.dat", Format: wfdb.Format212, Gain: 200, Baseline: 0, Units: "mV", ADCResolution: 12, Description: "V1"},
	}}
	data := [][]int32{{0, 10, 20, wfdb.InvalidSample, 40}, {5, 5, -5, -5, 2047}}
	if err := wfdb.WriteRecord(dir, h, data); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(dir + "/demo.hea")
	fmt.Print(string(b))
	// Output:
	// demo 2 250 5
	// demo.dat 212 200/mV 12 0 0 -1978 0 II
	// demo.dat 212 200/mV 12 0 5 2047 0 V1
}

// Write a record to any writers (a network stream, an archive, memory):
// its header to one, its signal file to the other.
func ExampleWriteRecordTo() {
	h := &wfdb.Header{Name: "mem", Fs: 250, Signals: []wfdb.SignalSpec{
		{FileName: "mem.dat", Format: wfdb.Format16, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "ECG"},
	}}
	var hea, dat bytes.Buffer
	if err := wfdb.WriteRecordTo(&hea, &dat, h, [][]int32{{100, 250, 1200, -300}}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(hea.String())
	fmt.Println(dat.Len(), "bytes of samples")
	// Output:
	// mem 1 250 4
	// mem.dat 16 1000/mV 16 0 100 1250 0 ECG
	// 8 bytes of samples
}
