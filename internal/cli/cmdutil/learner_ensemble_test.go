package cmdutil

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestLearnerFlagsCNNEnsemble: --cnn-ensemble sets the networks of a
// seed ensemble (1 by default); out of 1 to 16 it is a usage error that
// names the flag.
func TestLearnerFlagsCNNEnsemble(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
		err  string
	}{
		{[]string{"--learner", "cnn"}, 1, ""},
		{[]string{"--cnn-ensemble", "3"}, 3, ""},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "0"}, 0, "--cnn-ensemble 0: want 1 to 16 networks"},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "17"}, 0, "--cnn-ensemble 17: want 1 to 16"},
		{[]string{"--learner", "gbdt", "--cnn-ensemble", "2"}, 0, "--cnn-ensemble goes with --learner cnn only"},
	} {
		var l LearnerFlags
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		l.Declare(cmd)
		cmd.SetArgs(tc.args)
		err := cmd.Execute()
		switch {
		case tc.err != "" && (ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v: %v, want a usage error %q", tc.args, err, tc.err)
		case tc.err == "" && (err != nil || l.CNN.Ensemble != tc.want):
			t.Errorf("%v: ensemble %d (%v), want %d", tc.args, l.CNN.Ensemble, err, tc.want)
		}
	}
}
