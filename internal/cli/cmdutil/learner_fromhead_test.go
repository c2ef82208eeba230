package cmdutil

import (
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestLearnerFlagsFromHead: --from-head needs --from and keep or new; the
// default is new; keep with --from default (labels AF, N, Noisy, Other)
// is taken for a folder sharing a label and is a usage error for one
// sharing none.
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
	}{
		{[]string{"--from", "default"}, []string{"AF", "B", "N"}, classify.CNNFromHeadNew},
		{[]string{"--from", "default"}, []string{"AFIB", "B"}, classify.CNNFromHeadNew},
		{[]string{"--from", "default", "--from-head", "keep"}, []string{"AF", "B", "N"}, classify.CNNFromHeadKeep},
		{[]string{"--from", "default", "--from-head", "keep"}, []string{"AFIB", "B"}, "usage"},
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
		if err != nil || l.CNN.FromHead != c.want {
			t.Errorf("%q on %v: head %q, %v; want %q", c.args, c.labels, l.CNN.FromHead, err, c.want)
		}
	}
}
