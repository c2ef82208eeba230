package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets"
)

// LabelFlags are --labels and --label-map, of ecg train and ecg eval:
// where the labels of a dataset folder come from.
type LabelFlags struct {
	// Source is where the labels come from; its Map is set from
	// --label-map before the command runs.
	Source   datasets.LabelSource
	labelMap string
}

// Declare adds the flags to cmd and parses --label-map before it runs
// (a bad map is a usage error).
func (l *LabelFlags) Declare(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&l.Source.CSV, "labels", "", "labels CSV (record,label) of the WFDB records in DIR, instead of label folders")
	f.StringVar(&l.labelMap, "label-map", "", "rename labels: comma-separated FROM=TO (e.g. 'A=AF,~=Noisy')")
	AddCheck(cmd, func() (err error) {
		if l.Source.Map, err = datasets.ParseLabelMap(l.labelMap); err != nil {
			return Usagef("--label-map: %v", err)
		}
		return nil
	})
}
