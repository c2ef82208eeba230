package cmdutil

import (
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestLearnerFlagsFromHead: --from-head needs --from and keep or new; the
// default keeps the head of --from default (labels AF, N, Noisy, Other)
// for folders sharing a label, and falls back to a new head with a
// warning for folders that share none, where --from-head keep given is a
// usage error.
func TestLearnerFlagsFromHead(t *testing.T) {
	parseLearner(t, []string{"--from-head", "keep"}, ExitUsage)
	parseLearner(t, []string{"--from", "default", "--from-head", "old"}, ExitUsage)
	folder := func(labels ...string) *datasets.LabelFolders {
		return &datasets.LabelFolders{Labels: labels, Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	}
	for _, c := range []struct {
		args   []string
		labels []string
		want   string // CNN.FromHead after Resolve, or "usage"
		warn   string // in FromWarnings
	}{
		{[]string{"--from", "default"}, []string{"AF", "B", "N"}, classify.CNNFromHeadKeep, ""},
		{[]string{"--from", "default", "--from-head", "new"}, []string{"AF", "N"}, classify.CNNFromHeadNew, ""},
		{[]string{"--from", "default"}, []string{"AFIB", "B"}, classify.CNNFromHeadNew, "none in common; its dense head starts afresh"},
		{[]string{"--from", "default", "--from-head", "keep"}, []string{"AFIB", "B"}, "usage", ""},
	} {
		l, ok := parseLearner(t, c.args, ExitOK)
		if !ok {
			continue
		}
		_, err := l.Resolve(folder(c.labels...), 1, 1)
		if c.want == "usage" {
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "none in common") {
				t.Errorf("%q on %v: %v, want a usage error", c.args, c.labels, err)
			}
			continue
		}
		warn := strings.Join(l.FromWarnings(folder(c.labels...)), "\n")
		if err != nil || l.CNN.FromHead != c.want || (c.warn == "") != (warn == "") || !strings.Contains(warn, c.warn) {
			t.Errorf("%q on %v: head %q, %v, warnings %q", c.args, c.labels, l.CNN.FromHead, err, warn)
		}
	}
}
