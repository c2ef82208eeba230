package datasets

import (
	"errors"

	"github.com/ecgkit/ecg/datasets/beats"
)

// AnalyzeInput analyses the beats of a record or of a device export, as
// ecg beats does: beats.AnalyzeRecord for a WFDB record, beats.Analyze of
// the file read with o for a CSV or EDF file (then a *beats.SignalError
// names the file, and opt.Compare is ignored: a file has no reference
// annotations beside it).
func (o DeviceOptions) AnalyzeInput(path string, opt beats.Options) (*beats.Analysis, error) {
	if !IsDeviceFile(path) {
		return beats.AnalyzeRecord(path, opt)
	}
	rec, _, err := o.ReadDevice(path)
	if err != nil {
		return nil, err
	}
	a, err := beats.Analyze(rec, opt)
	if se := (*beats.SignalError)(nil); errors.As(err, &se) {
		se.Record = path
	}
	return a, err
}
