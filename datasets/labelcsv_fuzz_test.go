package datasets

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadLabelRows reads arbitrary labels CSVs (a REFERENCE.csv that
// comes with a download): no panic; an error names the file; every row
// has a clean record name inside the records directory, a label, a line
// number, and no record twice.
func FuzzReadLabelRows(f *testing.F) {
	for _, s := range []string{
		"A00001,N\nA00002,A\n",
		"record,label\r\nA00001,N\r\nA00002,~\r\n",
		"# c\n\nA1,N\n\r\n",
		"\ufeffName,Class\n\"A 1\",\"O\"\n",
		"p00/p001.hea,N\n../x,A\n",
		"A1,N\nA1,A\n",
		"A1\n",
		"A\"1,N\n",
		"record,label,patient\nw/201_0000,AFIB,mitdb:201\nA1,N\n",
		"A1,N, \n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadLabelRows(bytes.NewReader(data), "REFERENCE.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "REFERENCE.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			if len(rows) != 0 {
				t.Fatal("rows with an error")
			}
			return
		}
		if len(rows) == 0 {
			t.Fatal("no rows and no error")
		}
		seen := map[string]bool{}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, r := range rows {
			if r.Label == "" || r.Line < 1 || r.Line > lines || r.Group != strings.TrimSpace(r.Group) {
				t.Fatalf("row %+v", r)
			}
			if !filepath.IsLocal(r.Record) || path.Clean(r.Record) != r.Record {
				t.Fatalf("record %q is not a clean name inside the directory", r.Record)
			}
			if seen[r.Record] {
				t.Fatalf("record %q twice", r.Record)
			}
			seen[r.Record] = true
		}
	})
}
