package datasets_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/datasets"
)

// A REFERENCE.csv as the CinC Challenge 2017 gives it (CR LF ends, no
// header), its labels renamed.
func ExampleReadLabelCSV() {
	root, err := os.MkdirTemp("", "cinc")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	records := filepath.Join(root, "records")
	if err := os.MkdirAll(records, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"A00001", "A00002", "A00003", "A00004"} {
		// Headers only: ReadLabelCSV checks that records exist, and
		// reads no samples.
		if err := os.WriteFile(filepath.Join(records, name+".hea"), nil, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	ref := filepath.Join(root, "REFERENCE.csv")
	if err := os.WriteFile(ref, []byte("A00001,N\r\nA00002,A\r\nA00003,~\r\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	m, err := datasets.ParseLabelMap("A=AF,~=Noisy")
	if err != nil {
		log.Fatal(err)
	}
	ds, err := datasets.ReadLabelCSV(records, ref, m)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("labels:", ds.Labels)
	for _, f := range ds.Files {
		fmt.Printf("%s %s %s\n", f.Rel, f.Label, f.Kind)
	}
	// Output:
	// labels: [AF N Noisy]
	// A00002 AF record
	// A00001 N record
	// A00003 Noisy record
}

// Rows of a labels CSV with a header, a comment and a blank line.
func ExampleReadLabelRows() {
	in := "record,label\n# 2 records\n\nA00001,N\nA00002,A\n"
	rows, err := datasets.ReadLabelRows(strings.NewReader(in), "REFERENCE.csv")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("line %d: %s %s\n", r.Line, r.Record, r.Label)
	}
	_, err = datasets.ReadLabelRows(strings.NewReader("A00001,N\nA00001,A\n"), "REFERENCE.csv")
	fmt.Println(err)
	// Output:
	// line 4: A00001 N
	// line 5: A00002 A
	// REFERENCE.csv line 2: record "A00001" (first on line 1): record listed twice
}
