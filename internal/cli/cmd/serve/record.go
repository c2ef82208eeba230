package serve

import (
	"time"

	"github.com/ecgkit/ecg/classify/fleet"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// recorder opens the --record recorder into cfg.Record (nil without
// --record); close it after the hub.
func (o *Options) recorder(cfg *fleet.Config) (*fleet.Recorder, error) {
	if o.Record == "" {
		return nil, nil
	}
	if o.Segment < time.Second {
		return nil, cmdutil.Usagef("--segment %v: want 1s or more", o.Segment)
	}
	rec, err := fleet.NewRecorder(fleet.RecordOptions{Dir: o.Record, Segment: o.Segment, Input: cfg.Input})
	if err != nil {
		return nil, err
	}
	cfg.Record = rec
	return rec, nil
}
