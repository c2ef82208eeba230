package cmdutil

import (
	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// SignalModel loads the model a --model value names for a command that
// scores signals (ecg stream): a model of another input is a usage error
// that says so.
func SignalModel(path string) (*classify.Model, error) {
	m, err := defaultmodel.Load(path)
	if err != nil {
		return nil, err
	}
	if m.Info.Features.Input != classify.InputSignal {
		return nil, Usagef("%s takes %s input; stream needs a model trained on signals (WFDB records)", path, m.Info.Features.Input)
	}
	return m, nil
}
