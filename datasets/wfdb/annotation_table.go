package wfdb

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// AnnotationColumns are the columns of WriteAnnotationTable, rdann's.
var AnnotationColumns = []string{"time", "sample", "type", "subtype", "chan", "num", "aux"}

// WriteAnnotationTable writes anns with rdann's columns (AnnotationColumns:
// elapsed time, sample, mnemonic, subtype, chan, num, aux up to its first
// NUL byte) as JSON lines (format "json"), or as CSV or TSV ("csv", "tsv")
// with a header line when header is true. fs converts samples to times.
func WriteAnnotationTable(w io.Writer, anns []Annotation, fs float64, format string, header bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	switch format {
	case "json":
		err = writeAnnotationJSON(bw, anns, fs)
	case "csv", "tsv":
		err = writeAnnotationCSV(bw, anns, fs, format == "tsv", header)
	default:
		return fmt.Errorf("annotation table format %q: want csv, tsv or json", format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// annotationRow is one JSON line of WriteAnnotationTable.
type annotationRow struct {
	Time    string `json:"time"`
	Sample  int64  `json:"sample"`
	Type    string `json:"type"`
	Subtype int    `json:"subtype"`
	Chan    int    `json:"chan"`
	Num     int    `json:"num"`
	Aux     string `json:"aux,omitempty"`
}

func writeAnnotationJSON(w io.Writer, anns []Annotation, fs float64) error {
	enc := json.NewEncoder(w)
	for _, an := range anns {
		row := annotationRow{strings.TrimSpace(FormatTime(an.Sample, fs)), an.Sample, an.Type.Symbol(), an.Subtype, an.Chan, an.Num, AuxText(an.Aux)}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return nil
}

func writeAnnotationCSV(w io.Writer, anns []Annotation, fs float64, tabs, header bool) error {
	cw := csv.NewWriter(w)
	if tabs {
		cw.Comma = '\t'
	}
	if header {
		if err := cw.Write(AnnotationColumns); err != nil {
			return err
		}
	}
	for _, an := range anns {
		if err := cw.Write([]string{strings.TrimSpace(FormatTime(an.Sample, fs)), strconv.FormatInt(an.Sample, 10),
			an.Type.Symbol(), strconv.Itoa(an.Subtype), strconv.Itoa(an.Chan), strconv.Itoa(an.Num), AuxText(an.Aux)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// AuxText returns an annotation's Aux up to its first NUL byte, as rdann
// prints it.
func AuxText(aux string) string {
	if i := strings.IndexByte(aux, 0); i >= 0 {
		return aux[:i]
	}
	return aux
}

// AnnotationsBetween returns the annotations whose sample lies in
// [from, to] (to <= 0: to the end), as rdann -f/-t select them.
func AnnotationsBetween(anns []Annotation, from, to int64) []Annotation {
	sel := anns[:0:0]
	for _, an := range anns {
		if an.Sample < from || to > 0 && an.Sample > to {
			continue
		}
		sel = append(sel, an)
	}
	return sel
}
