package datasets

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteSummary writes what Archive did with opt, as ecg spectro prints it:
// format "json" is one JSON object (the counts, the labels, the manifest,
// the failures as messages); anything else is text for people (the counts,
// the windows per label of a labelled archive, and a line per kind of
// skip that happened).
func (r *ArchiveResult) WriteSummary(w io.Writer, format string, opt ArchiveOptions) error {
	if format == "json" {
		errs := make([]string, len(r.Failed))
		for i, e := range r.Failed {
			errs[i] = e.Error()
		}
		return json.NewEncoder(w).Encode(map[string]any{
			"records": r.Records, "images": r.Windows, "written": r.Written, "existing": r.Existing,
			"skipped_fraction": r.SkippedFraction, "skipped_no_label": r.SkippedNoLabel,
			"skipped_edge": r.SkippedEdge, "skipped_records": r.SkippedRecords,
			"skipped_short": r.SkippedShort, "short_records": r.ShortRecords,
			"labels": r.Labels, "manifest": r.Manifest, "failed": errs, "removed": r.Removed,
		})
	}
	fmt.Fprintf(w, "%d records, %d images (%d files written, %d kept) in %s\n", r.Records, r.Windows, r.Written, r.Existing, opt.Out)
	if opt.Label != LabelNone {
		labels := make([]string, 0, len(r.Labels))
		for l := range r.Labels {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			fmt.Fprintf(w, "  %-8s %d\n", l, r.Labels[l])
		}
	}
	for _, line := range []struct {
		n      int
		format string
		arg    any
	}{
		{r.Removed, "removed %d files of the earlier archive that this run no longer makes\n", nil},
		{r.SkippedFraction, "skipped %d strides whose rhythm covers less than %g of the stride\n", opt.MinFraction},
		{r.SkippedNoLabel, "skipped %d windows without a label\n", nil},
		{r.SkippedEdge, "skipped %d beats whose window runs past the record\n", nil},
		{r.SkippedShort, "skipped %d windows shorter than the STFT segment\n", nil},
		{r.ShortRecords, "%d records are shorter than one stride (not read)\n", nil},
		{r.SkippedRecords, "skipped %d records without the signals %s\n", strings.Join(opt.Signals, ",")},
	} {
		if line.n > 0 && line.arg == nil {
			fmt.Fprintf(w, line.format, line.n)
		} else if line.n > 0 {
			fmt.Fprintf(w, line.format, line.n, line.arg)
		}
	}
	if r.Manifest != "" {
		fmt.Fprintf(w, "manifest %s\n", r.Manifest)
	}
	return nil
}
