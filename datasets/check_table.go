package datasets

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// RecordCheckColumns are the columns of WriteRecordChecks in tsv and csv.
var RecordCheckColumns = []string{"record", "signals", "fs", "frames", "duration_s", "checksums", "annotations", "status"}

// WriteRecordChecks writes checks (CheckRecord, ConvertDeviceRecord) as a
// table, as ecg ingest prints them: "json" is a RecordCheck object per
// line; "tsv" and "csv" have a header row of RecordCheckColumns; anything
// else is text for people (aligned columns, durations as WFDB times, "-"
// for a record without a rate).
func WriteRecordChecks(w io.Writer, checks []RecordCheck, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(bw)
		for i := range checks {
			if err = enc.Encode(&checks[i]); err != nil {
				return err
			}
		}
	case "tsv", "csv":
		err = writeRecordChecksCSV(bw, checks, format == "tsv")
	default:
		tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "RECORD\tSIGNALS\tDURATION\tCHECKSUMS\tANNOTATIONS\tSTATUS")
		for _, r := range checks {
			dur := "-"
			if r.Fs > 0 {
				dur = strings.TrimSpace(wfdb.FormatTime(r.Frames, r.Fs))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\n", r.Record, r.Signals, dur, r.Checksums, r.Annotations, r.Status)
		}
		tw.Flush()
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeRecordChecksCSV writes checks as CSV, or TSV when tabs is true.
func writeRecordChecksCSV(w io.Writer, checks []RecordCheck, tabs bool) error {
	cw := csv.NewWriter(w)
	if tabs {
		cw.Comma = '\t'
	}
	cw.Write(RecordCheckColumns)
	for _, r := range checks {
		cw.Write([]string{r.Record, strconv.Itoa(r.Signals), strconv.FormatFloat(r.Fs, 'g', -1, 64),
			strconv.FormatInt(r.Frames, 10), strconv.FormatFloat(r.Duration, 'f', 3, 64), r.Checksums,
			strconv.Itoa(r.Annotations), r.Status})
	}
	cw.Flush()
	return cw.Error()
}
