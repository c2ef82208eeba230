package datasets_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// A 60 s record at 250 Hz cut into 20 s strides every 10 s: the last
// stride that would run past the end is dropped, or kept cut short.
func ExampleStrides() {
	const fs = 250
	n := int64(60 * fs)
	for _, s := range datasets.Strides(n, 20*fs, 10*fs, false) {
		fmt.Printf("[%d, %d) %g s\n", s.Start, s.End, float64(s.Start)/fs)
	}
	partial := datasets.Strides(n+fs, 20*fs, 10*fs, true)
	fmt.Println("with a partial last stride:", partial[len(partial)-1])
	// Output:
	// [0, 5000) 0 s
	// [2500, 7500) 10 s
	// [5000, 10000) 20 s
	// [7500, 12500) 30 s
	// [10000, 15000) 40 s
	// with a partial last stride: {12500 15250}
}

// A rhythm archive labels each stride with the rhythm covering most of
// it, and keeps it when that share is high enough (--min-fraction).
func ExampleRhythmOf() {
	const fs = 250
	episodes := []wfdb.Episode{ // as wfdb.RhythmEpisodes reads them from .atr
		{Label: "N", Start: 0, End: 25 * fs},
		{Label: "AFIB", Start: 25 * fs, End: 60 * fs},
	}
	for _, s := range datasets.Strides(60*fs, 20*fs, 20*fs, false) {
		label, fraction := datasets.RhythmOf(episodes, s)
		fmt.Printf("%2d-%2d s: %-4s %.2f\n", s.Start/fs, s.End/fs, label, fraction)
	}
	// Output:
	//  0-20 s: N    1.00
	// 20-40 s: AFIB 0.75
	// 40-60 s: AFIB 1.00
}

// Images of an archive are split by the record they come from (the name
// up to its first '_'), so that no record is on both sides: a model is
// tested on patients it has not seen.
func ExampleSplitByGroup() {
	names := []string{
		"100_0000m00s_MLII", "100_0001m00s_MLII", "201_0000m00s_MLII",
		"201_0001m00s_MLII", "203_0000m00s_MLII", "210_0000m00s_MLII",
		"219_0000m00s_MLII", "221_0000m00s_MLII",
	}
	labels := []int{0, 0, 1, 1, 1, 1, 0, 1} // 0: N, 1: AFIB
	groups := make([]string, len(names))
	for i, name := range names {
		groups[i] = datasets.GroupOfName(name)
	}
	train, test, err := datasets.SplitByGroup(labels, groups, 2, 0.6, 1)
	if err != nil {
		log.Fatal(err)
	}
	for _, i := range test {
		fmt.Println("test:", names[i])
	}
	fmt.Println(len(train), "training images")
	// Output:
	// test: 203_0000m00s_MLII
	// test: 210_0000m00s_MLII
	// test: 219_0000m00s_MLII
	// 5 training images
}

// A dataset laid out as one folder per label: every image or record under
// LABEL/ is labelled LABEL, and its group is its record.
func ExampleReadLabelFolders() {
	dir, err := os.MkdirTemp("", "labels")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"AFIB/201_0005m00s_MLII.png", "AFIB/203_0000m00s_MLII.png", "N/100_0000m00s_MLII.png"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("labels:", ds.Labels)
	for i, f := range ds.Files {
		fmt.Printf("%s label %d (%s), record %s\n", f.Rel, ds.LabelIndex()[i], f.Label, f.Group)
	}
	// Output:
	// labels: [AFIB N]
	// AFIB/201_0005m00s_MLII.png label 0 (AFIB), record 201
	// AFIB/203_0000m00s_MLII.png label 0 (AFIB), record 203
	// N/100_0000m00s_MLII.png label 1 (N), record 100
}

// The manifest of an archive says where each image comes from; shards'
// manifests may simply be concatenated, and empty fields read as NaN.
func ExampleReadManifest() {
	const manifest = `image,record,signal,start,end,fs,label,label_fraction,beats,n,s,v,f,q,beat_sample,prev_rr,next_rr,local_rr,avg_rr
AFIB/201_0005m00s_MLII.png,201,MLII,108000,129600,360,AFIB,1,37,37,0,0,0,0,,,,,
image,record,signal,start,end,fs,label,label_fraction,beats,n,s,v,f,q,beat_sample,prev_rr,next_rr,local_rr,avg_rr
V/208_0000m03.617s_MLII.png,208,MLII,1212,1392,360,V,1,1,0,0,1,0,0,1302,0.75,0.5,0.8,0.7
`
	rows, err := datasets.ReadManifest(strings.NewReader(manifest))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("%s: record %s, %.1f-%.1f s, %d beats (V %d), beat at sample %d, RR before %v\n",
			r.Label, r.Record, float64(r.Start)/r.Fs, float64(r.End)/r.Fs, r.Beats, r.BeatCounts[2], r.BeatSample, r.PrevRR)
	}
	// Output:
	// AFIB: record 201, 300.0-360.0 s, 37 beats (V 0), beat at sample -1, RR before NaN
	// V: record 208, 3.4-3.9 s, 1 beats (V 1), beat at sample 1302, RR before 0.75
}

// A device export as a spreadsheet writes it: semicolons, decimal commas,
// a time column in milliseconds and a units row. The rate comes from the
// time column.
func ExampleReadCSV() {
	const export = `Time (ms);Lead I;Lead II
ms;mV;mV
0;0,125;-0,050
4;0,250;-0,025
8;0,500;0,000
12;0,250;0,025
`
	s, err := datasets.ReadCSV(strings.NewReader(export), datasets.CSVOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Fs, "Hz")
	for i, name := range s.Names {
		fmt.Printf("%s (%s): %v\n", name, s.Units[i], s.Data[i])
	}
	// Output:
	// 250 Hz
	// Lead I (mV): [0.125 0.25 0.5 0.25]
	// Lead II (mV): [-0.05 -0.025 0 0.025]
}
